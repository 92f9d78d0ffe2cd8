package dev.flotilla.render;

import java.util.HashMap;
import java.util.List;
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

  /** A version given to one device's artifact. */
  public record Grant(String device, String artifact, Given given) {}

  /** From grants in order: the first grant of an artifact to a device wins. */
  public static RolloutVersions of(List<Grant> grants) {
    var out = new HashMap<String, Map<String, Given>>();
    grants.forEach(g -> out.computeIfAbsent(g.device(), k -> new HashMap<>()).putIfAbsent(g.artifact(), g.given()));
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
