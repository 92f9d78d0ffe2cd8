package dev.flotilla.render;

import dev.flotilla.model.AppSpec;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What changes for one device between two renders, one line per resource in the plan format:
 * {@code + file /etc/x}, {@code ~ sysctl vm.swappiness 60 -> 10}, {@code - unit old.service},
 * {@code ~ app kiosk-ui 1.4.0 -> 1.5.0}. Pure; lines sorted by kind, then name.
 */
public final class StateDiff {
  private StateDiff() {}

  /** Either side may be null: a device that appears or disappears. */
  public static List<String> diff(BundlePayload base, BundlePayload head) {
    var before = base == null ? new DesiredState() : base.getState();
    var after = head == null ? new DesiredState() : head.getState();
    var lines = new ArrayList<String>();
    keyed(lines, "file", byKey(before.getFiles(), FileSpec::getPath), byKey(after.getFiles(), FileSpec::getPath),
        StateDiff::describeFile);
    keyed(lines, "unit", byKey(before.getServices(), ServiceSpec::getUnit),
        byKey(after.getServices(), ServiceSpec::getUnit), StateDiff::describeUnit);
    var sysctlBefore = before.getSysctl() == null ? Map.<String, String>of() : before.getSysctl();
    var sysctlAfter = after.getSysctl() == null ? Map.<String, String>of() : after.getSysctl();
    for (var key : new TreeSet<>(union(sysctlBefore.keySet(), sysctlAfter.keySet()))) {
      var from = sysctlBefore.get(key);
      var to = sysctlAfter.get(key);
      if (from == null) {
        lines.add("+ sysctl " + key + " " + to);
      } else if (to == null) {
        lines.add("- sysctl " + key + " (no longer managed)");
      } else if (!from.equals(to)) {
        lines.add("~ sysctl " + key + " " + from + " -> " + to);
      }
    }
    var appsBefore = byKey(before.getApps(), AppSpec::getName);
    var appsAfter = byKey(after.getApps(), AppSpec::getName);
    for (var name : new TreeSet<>(union(appsBefore.keySet(), appsAfter.keySet()))) {
      var from = appsBefore.get(name);
      var to = appsAfter.get(name);
      if (from == null) {
        lines.add("+ app " + name + " " + to.getVersion());
      } else if (to == null) {
        lines.add("- app " + name + " " + from.getVersion());
      } else if (!from.getVersion().equals(to.getVersion())) {
        lines.add("~ app " + name + " " + from.getVersion() + " -> " + to.getVersion());
      } else if (!from.equals(to)) {
        lines.add("~ app " + name + " (settings)");
      }
    }
    return lines;
  }

  private static <T> void keyed(List<String> lines, String kind, Map<String, T> before, Map<String, T> after,
      java.util.function.BiFunction<T, T, String> describe) {
    for (var key : new TreeSet<>(union(before.keySet(), after.keySet()))) {
      var from = before.get(key);
      var to = after.get(key);
      if (from == null) {
        lines.add("+ " + kind + " " + key);
      } else if (to == null) {
        lines.add("- " + kind + " " + key + " (no longer declared)");
      } else if (!from.equals(to)) {
        lines.add("~ " + kind + " " + key + " (" + describe.apply(from, to) + ")");
      }
    }
  }

  private static String describeFile(FileSpec from, FileSpec to) {
    var what = new ArrayList<String>();
    if (!Objects.equals(from.getContent(), to.getContent()) || !Objects.equals(from.getArtifact(), to.getArtifact())) {
      what.add("content");
    }
    if (!Objects.equals(from.getMode(), to.getMode())) {
      what.add("mode " + from.getMode() + " -> " + to.getMode());
    }
    if (!Objects.equals(from.getOwner(), to.getOwner()) || !Objects.equals(from.getGroup(), to.getGroup())) {
      what.add("owner");
    }
    return what.isEmpty() ? "settings" : String.join(", ", what);
  }

  private static String describeUnit(ServiceSpec from, ServiceSpec to) {
    if (!Objects.equals(from.getState(), to.getState())) {
      return String.valueOf(from.getState()) + " -> " + to.getState();
    }
    return Objects.equals(from.getEnabled(), to.getEnabled()) ? "settings" : "enabled " + to.getEnabled();
  }

  private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
    var out = new TreeMap<String, T>();
    items.forEach(i -> out.put(key.apply(i), i));
    return out;
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    var out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }
}
