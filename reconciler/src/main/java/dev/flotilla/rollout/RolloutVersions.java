package dev.flotilla.rollout;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The artifact versions rollouts give devices: for every device of a started wave that was given the new version,
 * while its rollout holds it (not Pending, RollingBack or RolledBack). A rolled-back device is simply absent, so
 * it renders the version its policies name again. Immutable; when two rollouts give one device the same artifact,
 * the first by tenant and name wins.
 */
public final class RolloutVersions {
  public static final RolloutVersions NONE = new RolloutVersions(Map.of());
  private final Map<String, Map<String, String>> byDevice;

  private RolloutVersions(Map<String, Map<String, String>> byDevice) {
    this.byDevice = byDevice;
  }

  /** From the states of all rollouts, in tenant and name order. */
  public static RolloutVersions of(Collection<RolloutState> states) {
    var out = new HashMap<String, Map<String, String>>();
    states.stream().filter(RolloutState::holdsNewVersion)
        .sorted(java.util.Comparator.comparing(RolloutState::tenant).thenComparing(RolloutState::rollout))
        .forEach(s -> s.updated().forEach(d -> out.computeIfAbsent(d, k -> new HashMap<>())
            .putIfAbsent(s.artifact(), s.version())));
    return new RolloutVersions(out);
  }

  /** The version {@code device} gets of {@code artifact}, or null when no rollout says. */
  public String version(String device, String artifact) {
    var versions = byDevice.get(device);
    return versions == null ? null : versions.get(artifact);
  }

  public boolean isEmpty() {
    return byDevice.isEmpty();
  }
}
