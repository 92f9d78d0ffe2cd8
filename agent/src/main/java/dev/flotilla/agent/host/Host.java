package dev.flotilla.agent.host;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.SystemdUnavailableException;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.ObservedApp;
import dev.flotilla.plan.ObservedFile;
import dev.flotilla.plan.ObservedState;
import dev.flotilla.plan.ObservedUnit;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.SwitchApp;
import dev.flotilla.plan.WriteUnitFile;
import dev.flotilla.model.DesiredState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the host for the planner. Read-only. Systemd is asked only when the desired state declares units or apps
 * (or the inventory owns unit files or apps); when it cannot be reached the observed state says why ({@link
 * ObservedState#systemdError()}) and holds no units or apps, so files and sysctl are still planned.
 */
public final class Host {
  private final HostFiles files;
  private final Sysctl sysctl;
  private final SystemdHost systemd;

  public Host(HostFiles files, Sysctl sysctl) {
    this(files, sysctl, null);
  }

  /** A host whose units and apps are observed too; {@code systemd} null when no bus is configured. */
  public Host(HostFiles files, Sysctl sysctl, SystemdHost systemd) {
    this.files = files;
    this.sysctl = sysctl;
    this.systemd = systemd;
  }

  /**
   * Observes every file and sysctl key that {@code desired} declares or {@code inventory} owns (with a bus, the
   * unit files it owns too), and the agent's sysctl.d file ({@link PersistSysctl#PATH}) when there are keys. A declared file's owner and group are read in the form it declares them (numeric id or
   * name), so the planner can compare them. A key that does not exist is left out.
   *
   * @throws IOException when a file or key cannot be read
   */
  public ObservedState observe(DesiredState desired, Inventory inventory) throws IOException {
    inventory = inventory == null ? Inventory.EMPTY : inventory;
    var observed = new TreeMap<String, ObservedFile>();
    if (desired != null && desired.getFiles() != null) {
      for (var spec : desired.getFiles()) {
        observed.put(spec.getPath(), files.observe(spec.getPath(), spec.getOwner(), spec.getGroup()));
      }
    }
    for (var path : inventory.files()) {
      observeFile(path, observed);
    }
    if (!inventory.sysctlKeys().isEmpty() || desired != null && desired.getSysctl() != null
        && !desired.getSysctl().isEmpty()) {
      observeFile(PersistSysctl.PATH, observed);
    }
    if (systemd == null) {
      return new ObservedState(observed, observeSysctl(desired, inventory));
    }
    for (var unit : inventory.unitFiles()) {
      observeFile(WriteUnitFile.pathOf(unit), observed);
    }
    var units = new TreeMap<String, ObservedUnit>();
    var apps = new TreeMap<String, ObservedApp>();
    try {
      observeUnits(desired, inventory, observed, units, apps);
    } catch (SystemdUnavailableException e) {
      return new ObservedState(observed, observeSysctl(desired, inventory), Map.of(), Map.of(), false,
          e.getMessage());
    }
    return new ObservedState(observed, observeSysctl(desired, inventory), units, apps, true);
  }

  /**
   * Removes the temp files an interrupted apply left in the directories the agent writes to: those of the files and
   * unit files {@code desired} declares or {@code inventory} owns, the sysctl.d one, and the apps directory's
   * install scratch. Only names the agent makes, only in allowed directories, never through a symlink.
   *
   * @return the device paths of the files removed
   */
  public List<String> removeTempFiles(DesiredState desired, Inventory inventory) throws IOException {
    var paths = new TreeSet<>(inventory.files());
    inventory.unitFiles().forEach(unit -> paths.add(WriteUnitFile.pathOf(unit)));
    if (desired != null && desired.getFiles() != null) {
      desired.getFiles().forEach(spec -> paths.add(spec.getPath()));
    }
    if (desired != null && desired.getServices() != null) {
      desired.getServices().forEach(spec -> paths.add(WriteUnitFile.pathOf(spec.getUnit())));
    }
    if (desired != null && desired.getApps() != null) {
      desired.getApps().forEach(spec -> paths.add(WriteUnitFile.pathOf(SwitchApp.unitOf(spec))));
    }
    var directories = new TreeSet<String>();
    paths.stream().filter(p -> p != null && p.lastIndexOf('/') > 0)
        .forEach(p -> directories.add(p.substring(0, p.lastIndexOf('/'))));
    var removed = new ArrayList<>(files.removeTempFiles(directories));
    removed.addAll(sysctl.removeTempFiles());
    if (systemd != null) {
      removed.addAll(systemd.apps().removeScratch());
    }
    return removed;
  }

  /**
   * Every declared unit (and its unit file, when declared), every declared or owned app, its unit and unit file,
   * and the units whose files the agent owns. Touches the bus only when there is one of these: a bundle of files and
   * sysctl alone never connects.
   *
   * @throws SystemdUnavailableException when systemd is needed and cannot be reached
   */
  private void observeUnits(DesiredState desired, Inventory inventory, Map<String, ObservedFile> observed,
      Map<String, ObservedUnit> units, Map<String, ObservedApp> apps) throws IOException {
    for (var unit : inventory.unitFiles()) {
      observeUnit(unit, units);
    }
    if (desired != null && desired.getServices() != null) {
      for (var spec : desired.getServices()) {
        observeUnit(spec.getUnit(), units);
        if (spec.getUnitFile() != null) {
          observeFile(WriteUnitFile.pathOf(spec.getUnit()), observed);
        }
      }
    }
    if (desired != null && desired.getApps() != null) {
      for (var spec : desired.getApps()) {
        apps.put(spec.getName(), systemd.apps().observe(spec.getName(), spec.getUnit()));
        var unit = SwitchApp.unitOf(spec);
        observeUnit(unit, units);
        observeFile(WriteUnitFile.pathOf(unit), observed);
      }
    }
    for (var owned : inventory.apps().entrySet()) {
      var unit = owned.getValue().unit();
      if (!apps.containsKey(owned.getKey())) {
        apps.put(owned.getKey(), systemd.apps().observe(owned.getKey(), unit));
      }
      observeUnit(unit, units);
      observeFile(WriteUnitFile.pathOf(unit), observed);
    }
  }

  /** Reads {@code unit} over D-Bus unless this observation already did (each read is several round trips). */
  private void observeUnit(String unit, Map<String, ObservedUnit> units) throws IOException {
    if (!units.containsKey(unit)) {
      units.put(unit, systemd.systemd().unit(unit));
    }
  }

  /** Reads and hashes the file at {@code path} unless this observation already did. */
  private void observeFile(String path, Map<String, ObservedFile> observed) throws IOException {
    if (!observed.containsKey(path)) {
      observed.put(path, files.observe(path));
    }
  }

  private Map<String, String> observeSysctl(DesiredState desired, Inventory inventory) throws IOException {
    var keys = new TreeSet<>(inventory.sysctlKeys());
    if (desired != null && desired.getSysctl() != null) {
      keys.addAll(desired.getSysctl().keySet());
    }
    var values = new TreeMap<String, String>();
    for (var key : keys) {
      sysctl.read(key).ifPresent(value -> values.put(key, value));
    }
    return values;
  }
}
