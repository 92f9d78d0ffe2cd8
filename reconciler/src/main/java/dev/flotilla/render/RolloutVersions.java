package dev.flotilla.render;

import dev.flotilla.rollout.RolloutState;
import java.util.Collection;
import java.util.Comparator;
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
  private final Map<String, Map<String, Given>> byDevice;

  /** A version a rollout gave a device, and in which wave. */
  public record Given(String version, String rollout, String wave) {}

  private RolloutVersions(Map<String, Map<String, Given>> byDevice) {
    this.byDevice = byDevice;
  }

  /** From the states of all rollouts, in tenant and name order. */
  public static RolloutVersions of(Collection<RolloutState> states) {
    var out = new HashMap<String, Map<String, Given>>();
    states.stream().filter(RolloutState::holdsNewVersion)
        .sorted(Comparator.comparing(RolloutState::tenant).thenComparing(RolloutState::rollout))
        .forEach(s -> s.waves().forEach(w -> w.devices().stream().filter(RolloutState.Member::updated)
            .forEach(m -> out.computeIfAbsent(m.device(), k -> new HashMap<>())
                .putIfAbsent(s.artifact(), new Given(s.version(), s.rollout(), w.name())))));
    return new RolloutVersions(out);
  }

  /** The version {@code device} gets of {@code artifact}, or null when no rollout says. */
  public String version(String device, String artifact) {
    var given = given(device, artifact);
    return given == null ? null : given.version();
  }

  /** The version {@code device} gets of {@code artifact}, with its rollout and wave; null when no rollout says. */
  public Given given(String device, String artifact) {
    var versions = byDevice.get(device);
    return versions == null ? null : versions.get(artifact);
  }

  public boolean isEmpty() {
    return byDevice.isEmpty();
  }
}
