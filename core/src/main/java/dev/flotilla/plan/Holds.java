package dev.flotilla.plan;

import dev.flotilla.model.AppSpec;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.schema.Durations;
import dev.flotilla.window.MaintenanceWindows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which changes of a plan wait for a maintenance window; pure, like the {@link Planner}.
 *
 * <p>Disruptive: a unit restart or stop (also a unit file removal that stops its unit), an app version switch while
 * a version runs, an app reconfiguration (it restarts) or removal that stops its unit, and a sysctl the desired state
 * lists in {@code sysctlNeedsRestart}. Not disruptive: files, unit files, enabling, starting a unit that is not
 * running, the first version of an app, downloading a version, the sysctl.d file.
 *
 * <p>A disruptive change starts only when a window is open and stays open for its worst-case time: an app's
 * {@code maxApplyTime} ({@value #DEFAULT_APP_TIME} when omitted), zero for the others. Otherwise its resource is held
 * until the first window that long. Not held: resources an urgent policy set, and those in drift mode {@code
 * enforce-always}.
 */
final class Holds {
  /** The worst-case time of an app's change when its {@code maxApplyTime} is omitted. */
  static final String DEFAULT_APP_TIME = "5m";

  private Holds() {
  }

  static Plan hold(Plan plan, DesiredState desired, Map<String, DriftMode> modes, Schedule schedule) {
    if (schedule == null || schedule.windows().always()) {
      return plan;
    }
    var held = new TreeMap<String, Plan.Hold>();
    for (var change : plan.changes()) {
      var key = change.resourceKey();
      if (held.containsKey(key) || !disruptive(change, desired) || schedule.urgent().contains(key)
          || mode(change, desired, modes) == DriftMode.ENFORCE_ALWAYS) {
        continue;
      }
      var need = worstCase(change, desired);
      if (!schedule.windows().fits(schedule.now(), need)) {
        held.put(key, schedule.windows().next(schedule.now(), need)
            .map(opens -> new Plan.Hold(MaintenanceWindows.label(opens, schedule.now()), opens.toInstant()))
            .orElse(new Plan.Hold("no maintenance window opens for " + Durations.format(need) + " within "
                + MaintenanceWindows.HORIZON_DAYS + " days", null)));
      }
    }
    return held.isEmpty() ? plan : plan.holding(held);
  }

  /** Whether applying {@code change} interrupts what runs on the device. */
  static boolean disruptive(Change change, DesiredState desired) {
    return switch (change) {
      case StartUnit start -> start.restart();
      case StopUnit stop -> true;
      case DeleteUnitFile delete -> !delete.declared();
      case SwitchApp app -> app.from() != null;
      case ReconfigureApp app -> true;
      case RemoveApp app -> app.stopUnit();
      case SetSysctl sysctl -> needsRestart(desired).contains(sysctl.key());
      default -> false;
    };
  }

  private static Set<String> needsRestart(DesiredState desired) {
    return desired == null || desired.getSysctlNeedsRestart() == null ? Set.of() : desired.getSysctlNeedsRestart();
  }

  /** How long {@code change} may take at worst: an app's {@code maxApplyTime}; zero for other changes. */
  static Duration worstCase(Change change, DesiredState desired) {
    if (!(change instanceof AppChange app)) {
      return Duration.ZERO;
    }
    var declared = apps(desired).stream().filter(a -> Objects.equals(a.getName(), app.app())).findFirst();
    var time = declared.map(AppSpec::getMaxApplyTime).orElse(null);
    return Durations.parse(time == null ? DEFAULT_APP_TIME : time);
  }

  /** The resource's drift mode: its own {@code drift} field, else the bundle's, else enforce. */
  private static DriftMode mode(Change change, DesiredState desired, Map<String, DriftMode> modes) {
    DriftMode own = null;
    if (change instanceof UnitChange unit && desired != null && desired.getServices() != null) {
      own = desired.getServices().stream().filter(s -> Objects.equals(s.getUnit(), unit.unit())).findFirst()
          .map(ServiceSpec::getDrift).orElse(null);
    } else if (change instanceof AppChange app) {
      own = apps(desired).stream().filter(a -> Objects.equals(a.getName(), app.app())).findFirst()
          .map(AppSpec::getDrift).orElse(null);
    }
    return Planner.modeOf(own, modes == null ? null : modes.get(change.resourceKey()));
  }

  private static List<AppSpec> apps(DesiredState desired) {
    return desired == null || desired.getApps() == null ? List.of() : desired.getApps();
  }
}
