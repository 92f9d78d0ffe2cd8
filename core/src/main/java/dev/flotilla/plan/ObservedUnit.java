package dev.flotilla.plan;

import java.util.Set;

/**
 * A systemd unit as the agent found it on the bus.
 *
 * @param unit the unit's name, such as {@code chrony.service}
 * @param loadState {@code loaded}, {@code not-found}, {@code masked} …
 * @param activeState {@code active}, {@code inactive}, {@code failed}, {@code activating} …
 * @param subState {@code running}, {@code dead}, {@code exited} …
 * @param unitFileState {@code enabled}, {@code disabled}, {@code static} …; empty when the unit has no file
 * @param result the service's {@code Result}, such as {@code success} or {@code exit-code}; empty for non-services
 * @param execMainStatus the main process's exit status, or 0
 * @param restarts the service's {@code NRestarts}
 * @param activeEnterMicros {@code ActiveEnterTimestamp} in microseconds since the epoch; 0 when never active
 */
public record ObservedUnit(String unit, String loadState, String activeState, String subState, String unitFileState,
    String result, int execMainStatus, long restarts, long activeEnterMicros) {
  private static final Set<String> ACTIVE = Set.of("active", "activating", "reloading");
  private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "static", "alias", "indirect",
      "generated", "transient");
  private static final Set<String> DISABLEABLE = Set.of("enabled", "enabled-runtime");

  /** A unit systemd does not know. */
  public static ObservedUnit missing(String unit) {
    return new ObservedUnit(unit, "not-found", "inactive", "dead", "", "", 0, 0, 0);
  }

  /** Whether it runs or is on its way: active, activating or reloading. */
  public boolean active() {
    return ACTIVE.contains(activeState);
  }

  /** Whether it starts at boot, or needs no enabling ({@code static}, {@code generated} …). */
  public boolean enabled() {
    return ENABLED.contains(unitFileState);
  }

  /** Whether {@code DisableUnitFiles} would change anything. */
  public boolean disableable() {
    return DISABLEABLE.contains(unitFileState);
  }

  /** Whether systemd has a unit file for it. */
  public boolean exists() {
    return !"not-found".equals(loadState);
  }
}
