package dev.flotilla.plan;

import dev.flotilla.model.AppSpec;

/**
 * Switches an app to an installed version: points {@code current} at it (atomically), writes its unit, restarts
 * it and runs its health check; on a failed check it switches back to {@code from} by itself. When the app's unit
 * name changed too, it moves the app from {@code previousUnit} to the new unit (see {@link PreviousUnit}) and goes
 * back to the old unit on a failed check.
 *
 * @param spec the app as declared; its version is the one to switch to
 * @param from the version running now, or null when none is
 * @param previousUnit the unit the app ran under, when it declares another one now; else null
 */
public record SwitchApp(AppSpec spec, String from, PreviousUnit previousUnit) implements AppChange {

  /** The unit that runs an app: its own {@code unit}, or {@code flotilla-app-<name>.service}. */
  public static String unitOf(AppSpec spec) {
    return spec.getUnit() != null ? spec.getUnit() : "flotilla-app-" + spec.getName() + ".service";
  }

  @Override
  public String app() {
    return spec.getName();
  }

  @Override
  public String line() {
    return "~ app " + spec.getName() + " " + (from == null ? "(none)" : from) + " -> " + spec.getVersion()
        + (previousUnit == null ? " (switch)" : " (switch; " + previousUnit.describe(unitOf(spec)) + ")");
  }

  @Override
  public String toString() {
    return line();
  }
}
