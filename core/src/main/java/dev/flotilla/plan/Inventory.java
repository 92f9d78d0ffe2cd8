package dev.flotilla.plan;

import dev.flotilla.model.DesiredState;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What earlier applied bundles wrote: the only files, unit files and apps the agent may delete and the sysctl keys
 * it set. An immutable value with sorted sets.
 *
 * @param files device paths of files the agent owns
 * @param sysctlKeys sysctl keys the agent set
 * @param unitFiles units whose file in {@value WriteUnitFile#DIRECTORY} the agent wrote (a service's {@code
 *     unitFile}), by unit name
 * @param apps apps the agent installed, by name
 */
public record Inventory(Set<String> files, Set<String> sysctlKeys, Set<String> unitFiles, Map<String, App> apps) {
  public static final Inventory EMPTY = new Inventory(Set.of(), Set.of(), Set.of(), Map.of());

  /**
   * An app the agent installed.
   *
   * @param unit the unit that runs it
   * @param generatedUnit whether it declared a {@code command}, so the agent wrote its unit file even when its
   *     version ships none (a shipped unit file is written too; the planner sees that on the host)
   */
  public record App(String unit, boolean generatedUnit) {
  }

  public Inventory {
    files = sorted(files);
    sysctlKeys = sorted(sysctlKeys);
    unitFiles = sorted(unitFiles);
    apps = Collections.unmodifiableSortedMap(apps == null ? new TreeMap<>() : new TreeMap<>(apps));
  }

  /** Files, sysctl keys and unit files, no apps. */
  public Inventory(Set<String> files, Set<String> sysctlKeys, Set<String> unitFiles) {
    this(files, sysctlKeys, unitFiles, Map.of());
  }

  /** Files and sysctl keys, no unit files. */
  public Inventory(Set<String> files, Set<String> sysctlKeys) {
    this(files, sysctlKeys, Set.of());
  }

  /**
   * What a bundle owns once it applied successfully: every declared file with inline or sealed content, every declared
   * sysctl key, the unit file of every service that declares one and every declared app. Files declared with an
   * artifact are not written yet, so they are not owned.
   */
  public static Inventory declaredBy(DesiredState desired) {
    var files = new TreeSet<String>();
    var units = new TreeSet<String>();
    var apps = new TreeMap<String, App>();
    if (desired != null && desired.getFiles() != null) {
      desired.getFiles().stream().filter(f -> f.getContent() != null || f.getSealed() != null)
          .forEach(f -> files.add(f.getPath()));
    }
    if (desired != null && desired.getServices() != null) {
      desired.getServices().stream().filter(s -> s.getUnitFile() != null).forEach(s -> units.add(s.getUnit()));
    }
    if (desired != null && desired.getApps() != null) {
      desired.getApps().stream().filter(a -> a != null && a.getName() != null).forEach(a -> apps.put(a.getName(),
          new App(SwitchApp.unitOf(a), a.getCommand() != null && !a.getCommand().isEmpty())));
    }
    var keys = desired == null || desired.getSysctl() == null ? Set.<String>of() : desired.getSysctl().keySet();
    return new Inventory(files, keys, units, apps);
  }

  /** This inventory with the unit files replaced by {@code units}. */
  public Inventory withUnitFiles(Set<String> units) {
    return new Inventory(files, sysctlKeys, units, apps);
  }

  /** This inventory with the apps replaced by {@code installed}. */
  public Inventory withApps(Map<String, App> installed) {
    return new Inventory(files, sysctlKeys, unitFiles, installed);
  }

  /**
   * This inventory (what an apply that held some resources owns) with each held resource as {@code before} had it:
   * a held change did not write, so ownership of its file, key, unit file or app stays what it was.
   *
   * @param held resource keys ({@code file:/p}, {@code sysctl:k}, {@code unit:u}, {@code app:a}) whose changes waited
   */
  public Inventory holding(Inventory before, Set<String> held) {
    var ownedFiles = new TreeSet<>(files);
    var keys = new TreeSet<>(sysctlKeys);
    var units = new TreeSet<>(unitFiles);
    var installed = new TreeMap<>(apps);
    for (var key : held) {
      var name = key.substring(key.indexOf(':') + 1);
      switch (key.substring(0, key.indexOf(':'))) {
        case "file" -> keep(ownedFiles, before.files(), name);
        case "sysctl" -> keep(keys, before.sysctlKeys(), name);
        case "unit" -> keep(units, before.unitFiles(), name);
        case "app" -> {
          installed.remove(name);
          if (before.apps().containsKey(name)) {
            installed.put(name, before.apps().get(name));
          }
        }
        default -> { }
      }
    }
    return new Inventory(ownedFiles, keys, units, installed);
  }

  private static void keep(Set<String> owned, Set<String> before, String name) {
    owned.remove(name);
    if (before.contains(name)) {
      owned.add(name);
    }
  }

  public boolean isEmpty() {
    return files.isEmpty() && sysctlKeys.isEmpty() && unitFiles.isEmpty() && apps.isEmpty();
  }

  private static SortedSet<String> sorted(Set<String> set) {
    return Collections.unmodifiableSortedSet(set == null ? new TreeSet<>() : new TreeSet<>(set));
  }
}
