package dev.flotilla.plan;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the host looks like, for the paths, keys, units and apps the agent declares or owns. An immutable value.
 *
 * <p>A path absent from {@code files} counts as a file that does not exist; a key absent from {@code sysctl} as a
 * key whose value is unknown; a unit absent from {@code units} as one systemd does not know; an app absent from
 * {@code apps} as one with nothing installed.
 *
 * @param files observed files by device path, sorted (unit files the agent writes included)
 * @param sysctl sysctl values by key as procfs prints them (tabs included), sorted
 * @param units observed units by name, sorted
 * @param apps observed apps by name, sorted
 * @param systemd whether systemd could be observed; without it, units and apps are not planned at all
 * @param systemdError why systemd could not be reached although a bus is configured ({@code connect to systemd over
 *     D-Bus at …}), or null; the agent then fails the pass for its units and apps, having applied the rest
 */
public record ObservedState(Map<String, ObservedFile> files, Map<String, String> sysctl,
    Map<String, ObservedUnit> units, Map<String, ObservedApp> apps, boolean systemd, String systemdError) {
  public static final ObservedState EMPTY = new ObservedState(Map.of(), Map.of());

  public ObservedState {
    files = sorted(files);
    sysctl = sorted(sysctl);
    units = sorted(units);
    apps = sorted(apps);
  }

  /** Files and sysctl only, on a host without a systemd bus. */
  public ObservedState(Map<String, ObservedFile> files, Map<String, String> sysctl) {
    this(files, sysctl, Map.of(), Map.of(), false, null);
  }

  /** A host whose systemd was observed ({@code systemd} true) or that has no bus configured (false). */
  public ObservedState(Map<String, ObservedFile> files, Map<String, String> sysctl, Map<String, ObservedUnit> units,
      Map<String, ObservedApp> apps, boolean systemd) {
    this(files, sysctl, units, apps, systemd, null);
  }

  /** The observed file at {@code path}, or a missing one. */
  public ObservedFile file(String path) {
    var file = files.get(path);
    return file == null ? ObservedFile.missing(path) : file;
  }

  /** The observed unit, or a missing one. */
  public ObservedUnit unit(String name) {
    var unit = units.get(name);
    return unit == null ? ObservedUnit.missing(name) : unit;
  }

  /** The observed app, or one with nothing installed. */
  public ObservedApp app(String name) {
    var app = apps.get(name);
    return app == null ? ObservedApp.missing(name) : app;
  }

  private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
    return Collections.unmodifiableSortedMap(map == null ? new TreeMap<>() : new TreeMap<>(map));
  }
}
