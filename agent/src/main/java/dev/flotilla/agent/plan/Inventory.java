package dev.flotilla.agent.plan;

import dev.flotilla.model.DesiredState;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What earlier applied bundles wrote: the only files and unit files the agent may delete and the sysctl keys it
 * set. An immutable value with sorted sets.
 *
 * @param files device paths of files the agent owns
 * @param sysctlKeys sysctl keys the agent set
 * @param unitFiles units whose file in {@value WriteUnitFile#DIRECTORY} the agent wrote (a service's {@code
 *     unitFile}), by unit name
 */
public record Inventory(Set<String> files, Set<String> sysctlKeys, Set<String> unitFiles) {
  public static final Inventory EMPTY = new Inventory(Set.of(), Set.of(), Set.of());

  public Inventory {
    files = sorted(files);
    sysctlKeys = sorted(sysctlKeys);
    unitFiles = sorted(unitFiles);
  }

  /** Files and sysctl keys, no unit files. */
  public Inventory(Set<String> files, Set<String> sysctlKeys) {
    this(files, sysctlKeys, Set.of());
  }

  /**
   * What a bundle owns once it applied successfully: every declared file with inline content, every declared
   * sysctl key and the unit file of every service that declares one. Files declared with an artifact are not
   * written yet, so they are not owned.
   */
  public static Inventory declaredBy(DesiredState desired) {
    var files = new TreeSet<String>();
    var units = new TreeSet<String>();
    if (desired != null && desired.getFiles() != null) {
      desired.getFiles().stream().filter(f -> f.getContent() != null).forEach(f -> files.add(f.getPath()));
    }
    if (desired != null && desired.getServices() != null) {
      desired.getServices().stream().filter(s -> s.getUnitFile() != null).forEach(s -> units.add(s.getUnit()));
    }
    var keys = desired == null || desired.getSysctl() == null ? Set.<String>of() : desired.getSysctl().keySet();
    return new Inventory(files, keys, units);
  }

  /** This inventory with the unit files replaced by {@code units}. */
  public Inventory withUnitFiles(Set<String> units) {
    return new Inventory(files, sysctlKeys, units);
  }

  public boolean isEmpty() {
    return files.isEmpty() && sysctlKeys.isEmpty() && unitFiles.isEmpty();
  }

  private static SortedSet<String> sorted(Set<String> set) {
    return Collections.unmodifiableSortedSet(set == null ? new TreeSet<>() : new TreeSet<>(set));
  }
}
