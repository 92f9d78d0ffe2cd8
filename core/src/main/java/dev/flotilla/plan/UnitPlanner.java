package dev.flotilla.plan;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.ArtifactType;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.UnitState;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The unit and app part of {@link Planner}; pure like it. Without a systemd bus nothing is planned.
 *
 * <ul>
 *   <li>A service: its {@code unitFile} (when given) is written when the file differs; then it is enabled or
 *       disabled when {@code enabled} says so and differs; then started when declared {@code running} (the default)
 *       and not active, or restarted when running and its unit file changed; stopped when declared {@code stopped}
 *       and active. Drift mode {@code ignore} leaves a unit alone once systemd knows it.
 *   <li>An app: when its declared version is not current, the version is installed (unless it already is) and
 *       switched to. A version whose health check failed before is not switched to again (a new version must be
 *       declared); the current one stays, and its unit is started when it is not active. When the declared version
 *       is current but its unit file differs from the one it should run with (the one it ships, or the one generated
 *       from its {@code command} and {@code environment}), the unit is rewritten and restarted
 *       ({@link ReconfigureApp}), unless that unit file failed its health check before; otherwise, when its unit is
 *       not active, the unit is started. {@code ignore} leaves an app alone once a
 *       version runs.
 *   <li>An app whose declared unit differs from the one the inventory records it under moves to the new unit: with
 *       its version switch, or at the same version with a {@link ReconfigureApp} (also when the new unit is one the
 *       device has), unless that move failed its health check before: then the app stays under its old unit, which is
 *       started when it is not active (unless something else declared uses it). The old unit ({@link PreviousUnit})
 *       is stopped and disabled unless a declared service or another declared app uses it (or a unit file removal
 *       handles it), and its file deleted when the inventory says the agent generated it.
 *   <li>Prune by inventory: a unit file the agent wrote ({@link Inventory#unitFiles()}) that no service declares any
 *       more, and that is still there, is deleted; the unit is stopped and disabled first unless a service still
 *       declares it. A unit an app now runs is left alone (the app's unit file is the app's). A unit file the agent
 *       did not write is never deleted.
 *   <li>Prune apps by inventory: an app the agent installed ({@link Inventory#apps()}) that no app declares any more
 *       is removed ({@link RemoveApp}): its unit stopped and disabled unless a declared service or app uses the unit,
 *       the unit file deleted when the agent wrote it, its directory deleted. Drift mode {@code app:<name>} applies
 *       ({@code ignore} leaves it).
 * </ul>
 */
final class UnitPlanner {

  private UnitPlanner() {
  }

  /** The changes of the declared services, by unit. */
  static Plan unitChanges(DesiredState desired, Map<String, DriftMode> modes, ObservedState seen) {
    if (desired == null || desired.getServices() == null || !seen.systemd()) {
      return Plan.EMPTY;
    }
    return Planner.concat(desired.getServices().stream().filter(s -> s != null && s.getUnit() != null)
        .sorted(Comparator.comparing(ServiceSpec::getUnit))
        .map(spec -> serviceChanges(spec, Planner.modeOf(spec.getDrift(), modes.get("unit:" + spec.getUnit())),
            seen)));
  }

  private static Plan serviceChanges(ServiceSpec spec, DriftMode mode, ObservedState seen) {
    var unit = seen.unit(spec.getUnit());
    if (mode == DriftMode.IGNORE && unit.exists()) {
      return Plan.EMPTY;
    }
    var changes = new ArrayList<Change>();
    var fileChanged = false;
    if (spec.getUnitFile() != null) {
      var file = seen.file(WriteUnitFile.pathOf(spec.getUnit()));
      var want = Digest.sha256(spec.getUnitFile().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
      if (!file.exists() || file.symlink() || !want.equals(file.sha256())) {
        fileChanged = file.exists();
        changes.add(new WriteUnitFile(spec.getUnit(), spec.getUnitFile(), !file.exists()));
      }
    }
    if (Boolean.TRUE.equals(spec.getEnabled()) && !unit.enabled()) {
      changes.add(new EnableUnit(spec.getUnit(), true));
    } else if (Boolean.FALSE.equals(spec.getEnabled()) && unit.disableable()) {
      changes.add(new EnableUnit(spec.getUnit(), false));
    }
    if (spec.getState() == UnitState.STOPPED) {
      if (unit.active()) {
        changes.add(new StopUnit(spec.getUnit()));
      }
    } else if (!unit.active()) {
      changes.add(StartUnit.start(spec.getUnit()));
    } else if (fileChanged) {
      changes.add(new StartUnit(spec.getUnit(), true, "restart: unit file changed"));
    }
    return Planner.of(mode, changes);
  }

  /** The changes of the declared apps, by name. */
  static Plan appChanges(DesiredState desired, Map<String, DriftMode> modes, List<BundleArtifact> artifacts,
      ObservedState seen, Inventory owned) {
    if (desired == null || desired.getApps() == null || !seen.systemd()) {
      return Plan.EMPTY;
    }
    var inUse = unitsInUse(desired);
    return Planner.concat(desired.getApps().stream()
        .filter(a -> a != null && a.getName() != null && a.getVersion() != null)
        .sorted(Comparator.comparing(AppSpec::getName))
        .map(spec -> appChange(spec, Planner.modeOf(spec.getDrift(), modes.get("app:" + spec.getName())),
            previousUnit(spec, owned, inUse), artifacts, seen)));
  }

  private static Plan appChange(AppSpec spec, DriftMode mode, PreviousUnit previous, List<BundleArtifact> artifacts,
      ObservedState seen) {
    var app = seen.app(spec.getName());
    var version = spec.getVersion();
    if (version.equals(app.current())) {
      return mode == DriftMode.IGNORE ? Plan.EMPTY
          : Planner.of(mode, currentVersionChange(spec, previous, app, seen).stream().toList());
    }
    if (mode == DriftMode.IGNORE && app.current() != null) {
      return Plan.EMPTY;
    }
    if (app.failed().containsKey(version)) {
      return app.current() == null ? Plan.EMPTY : Planner.of(mode,
          keepRunning(previous == null ? SwitchApp.unitOf(spec) : previous.unit(), previous, seen).stream().toList());
    }
    var switchTo = new SwitchApp(spec, app.current(), previous);
    return Planner.of(mode, app.installed().contains(version) ? List.of(switchTo)
        : List.of(new InstallApp(spec.getName(), version, artifact(spec, artifacts)), switchTo));
  }

  /** At the declared version: move to a new unit, rewrite a changed unit file, or start a stopped unit. */
  private static Optional<Change> currentVersionChange(AppSpec spec, PreviousUnit previous, ObservedApp app,
      ObservedState seen) {
    var unit = SwitchApp.unitOf(spec);
    var want = ReconfigureApp.unitFor(spec, app);
    var change = new ReconfigureApp(spec, want, previous);
    var failed = change.failureKey() != null && app.failedUnits().containsKey(change.failureKey());
    if (previous != null && failed) {
      return keepRunning(previous.unit(), previous, seen);
    } else if (previous != null) {
      return Optional.of(change);
    } else if (want != null && !want.equals(seen.file(WriteUnitFile.pathOf(unit)).sha256()) && !failed) {
      return Optional.of(change);
    }
    return seen.unit(unit).active() ? Optional.empty() : Optional.of(StartUnit.start(unit));
  }

  /**
   * After a failed health check the app stays as it was, under {@code unit}, until something new is declared: the
   * unit is started when it is not active. Not when it is the app's old unit and a declared service or another app
   * uses it now: theirs to run.
   */
  private static Optional<Change> keepRunning(String unit, PreviousUnit previous, ObservedState seen) {
    return (previous == null || previous.stop()) && !seen.unit(unit).active() ? Optional.of(StartUnit.start(unit))
        : Optional.empty();
  }

  /**
   * The unit the inventory records the app under, when it declares another one now; null otherwise. Stopped unless
   * in use; its file deleted only when the agent generated it.
   */
  private static PreviousUnit previousUnit(AppSpec spec, Inventory owned, Set<String> inUse) {
    var app = owned.apps().get(spec.getName());
    if (app == null || app.unit() == null || app.unit().equals(SwitchApp.unitOf(spec))) {
      return null;
    }
    var stop = retires(app.unit(), inUse, owned);
    return new PreviousUnit(app.unit(), stop, stop && app.generatedUnit());
  }

  /** The unit files the agent wrote that nothing declares any more, by unit. */
  static Plan unitFileRemovals(DesiredState desired, ObservedState seen, Inventory owned) {
    if (!seen.systemd() || owned.unitFiles().isEmpty()) {
      return Plan.EMPTY;
    }
    var withFile = new TreeSet<String>();
    if (desired != null && desired.getServices() != null) {
      desired.getServices().stream().filter(s -> s != null && s.getUnit() != null && s.getUnitFile() != null)
          .forEach(s -> withFile.add(s.getUnit()));
    }
    var declared = serviceUnits(desired);
    var appUnits = appUnits(desired);
    return new Plan(owned.unitFiles().stream()
        .filter(unit -> !withFile.contains(unit) && !appUnits.contains(unit)
            && seen.file(WriteUnitFile.pathOf(unit)).exists())
        .<Change>map(unit -> new DeleteUnitFile(unit, declared.contains(unit))).toList());
  }

  /**
   * An app the agent installed that no app declares any more: removed, its unit stopped and disabled unless a
   * declared service or app uses it now (or a unit file removal handles it), its unit file deleted when the agent
   * wrote it. Planned while the inventory holds the app, so a removal that did nothing still lets it be forgotten.
   */
  static Plan appRemovals(DesiredState desired, Map<String, DriftMode> modes, ObservedState seen, Inventory owned) {
    if (!seen.systemd() || owned.apps().isEmpty()) {
      return Plan.EMPTY;
    }
    var declaredApps = new TreeSet<String>();
    if (desired != null && desired.getApps() != null) {
      desired.getApps().stream().filter(a -> a != null && a.getName() != null)
          .forEach(a -> declaredApps.add(a.getName()));
    }
    var inUse = unitsInUse(desired);
    return Planner.concat(owned.apps().entrySet().stream().map(owns -> {
      var name = owns.getKey();
      var app = owns.getValue();
      var mode = Planner.modeOf(null, modes.get("app:" + name));
      if (declaredApps.contains(name) || mode == DriftMode.IGNORE) {
        return Plan.EMPTY;
      }
      var stop = retires(app.unit(), inUse, owned);
      var wrote = app.generatedUnit() || seen.app(name).shippedUnit() != null;
      return Planner.of(mode, List.of(new RemoveApp(name, app.unit(), stop, stop && wrote)));
    }));
  }

  /** The units declared services and declared apps run. */
  private static TreeSet<String> unitsInUse(DesiredState desired) {
    var units = serviceUnits(desired);
    units.addAll(appUnits(desired));
    return units;
  }

  /** The units declared services run. */
  private static TreeSet<String> serviceUnits(DesiredState desired) {
    var units = new TreeSet<String>();
    if (desired != null && desired.getServices() != null) {
      desired.getServices().stream().filter(s -> s != null && s.getUnit() != null).forEach(s -> units.add(s.getUnit()));
    }
    return units;
  }

  /** The units declared apps run. */
  private static TreeSet<String> appUnits(DesiredState desired) {
    var units = new TreeSet<String>();
    if (desired != null && desired.getApps() != null) {
      desired.getApps().stream().filter(a -> a != null && a.getName() != null)
          .forEach(a -> units.add(SwitchApp.unitOf(a)));
    }
    return units;
  }

  /**
   * Whether an app's unit that it no longer runs under is stopped and disabled: not when a declared service or app
   * uses it, nor when a unit file removal handles it.
   */
  private static boolean retires(String unit, Set<String> inUse, Inventory owned) {
    return !inUse.contains(unit) && !owned.unitFiles().contains(unit);
  }

  private static InstallApp.Artifact artifact(AppSpec spec, List<BundleArtifact> artifacts) {
    return artifacts.stream()
        .filter(a -> a != null && Objects.equals(a.getName(), spec.getArtifact())
            && Objects.equals(a.getVersion(), spec.getVersion()))
        .findFirst()
        .map(a -> new InstallApp.Artifact(a.getName(), a.getDigest(), a.getSize() == null ? 0 : a.getSize(),
            a.getUrls() == null ? List.of() : a.getUrls().stream().map(URI::toString).toList(),
            a.getType() == ArtifactType.TARBALL))
        .orElse(null);
  }
}
