package dev.flotilla.agent.plan;

import dev.flotilla.model.DesiredState;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What earlier applied bundles wrote: the only files the agent may delete and the sysctl keys it set. An immutable
 * value with sorted sets.
 *
 * @param files device paths of files the agent owns
 * @param sysctlKeys sysctl keys the agent set
 */
public record Inventory(Set<String> files, Set<String> sysctlKeys) {
  public static final Inventory EMPTY = new Inventory(Set.of(), Set.of());

  public Inventory {
    files = sorted(files);
    sysctlKeys = sorted(sysctlKeys);
  }

  /**
   * What a bundle owns once it applied successfully: every declared file with inline content and every declared
   * sysctl key. Files declared with an artifact are not written yet, so they are not owned.
   */
  public static Inventory declaredBy(DesiredState desired) {
    var files = new TreeSet<String>();
    if (desired != null && desired.getFiles() != null) {
      desired.getFiles().stream().filter(f -> f.getContent() != null).forEach(f -> files.add(f.getPath()));
    }
    var keys = desired == null || desired.getSysctl() == null ? Set.<String>of() : desired.getSysctl().keySet();
    return new Inventory(files, keys);
  }

  public boolean isEmpty() {
    return files.isEmpty() && sysctlKeys.isEmpty();
  }

  private static SortedSet<String> sorted(Set<String> set) {
    return Collections.unmodifiableSortedSet(set == null ? new TreeSet<>() : new TreeSet<>(set));
  }
}
