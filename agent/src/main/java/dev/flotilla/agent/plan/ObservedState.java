package dev.flotilla.agent.plan;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the host looks like, for the paths and keys the agent declares or owns. An immutable value.
 *
 * <p>A path absent from {@code files} counts as a file that does not exist; a key absent from {@code sysctl} as a
 * key whose value is unknown.
 *
 * @param files observed files by device path, sorted
 * @param sysctl sysctl values by key as procfs prints them (tabs included), sorted
 */
public record ObservedState(Map<String, ObservedFile> files, Map<String, String> sysctl) {
  public static final ObservedState EMPTY = new ObservedState(Map.of(), Map.of());

  public ObservedState {
    files = sorted(files);
    sysctl = sorted(sysctl);
  }

  /** The observed file at {@code path}, or a missing one. */
  public ObservedFile file(String path) {
    var file = files.get(path);
    return file == null ? ObservedFile.missing(path) : file;
  }

  private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
    return Collections.unmodifiableSortedMap(map == null ? new TreeMap<>() : new TreeMap<>(map));
  }
}
