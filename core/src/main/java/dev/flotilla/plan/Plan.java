package dev.flotilla.plan;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ordered changes that take the host to the desired state. An immutable value; the order is deterministic:
 * file writes by path, then units by name (unit file, enable or disable, start or stop), then sysctl keys by key,
 * then the agent's sysctl.d file, then apps by name (install, then switch), then unit files no longer declared by unit, then apps no longer
 * declared by name, then file deletions by path.
 *
 * <p>Changes to resources in drift mode {@code report} are listed in {@code reportOnlyKeys} (by {@link
 * Change#resourceKey()}): the agent applies them with a new bundle, but when the bundle is unchanged (drift) it
 * applies only {@link #enforceable()} and reports {@link #reportOnly()}. {@link #lines()} marks them with {@code
 * [report]}.
 *
 * @param changes the changes, in order
 * @param reportOnlyKeys keys of the changes whose resource is in drift mode {@code report}
 */
public record Plan(List<Change> changes, Set<String> reportOnlyKeys) {
  public static final Plan EMPTY = new Plan(List.of());

  public Plan {
    changes = List.copyOf(changes);
    reportOnlyKeys = Collections.unmodifiableSortedSet(new TreeSet<>(reportOnlyKeys));
  }

  /** A plan with every change enforceable. */
  public Plan(List<Change> changes) {
    this(changes, Set.of());
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Whether {@code change}'s resource is in drift mode {@code report}. */
  public boolean isReportOnly(Change change) {
    return reportOnlyKeys.contains(change.resourceKey());
  }

  /** The changes to apply when the bundle is unchanged: every change not in drift mode {@code report}. */
  public Plan enforceable() {
    return new Plan(changes.stream().filter(c -> !isReportOnly(c)).toList());
  }

  /** The changes that are only reported when the bundle is unchanged. */
  public Plan reportOnly() {
    return new Plan(changes.stream().filter(this::isReportOnly).toList(), reportOnlyKeys);
  }

  /** One line per change, such as {@code + file /etc/motd} or {@code ~ sysctl k 0 -> 1 [report]}. */
  public List<String> lines() {
    return changes.stream().map(c -> isReportOnly(c) ? c.line() + " [report]" : c.line()).toList();
  }

  /** {@link #lines()}, each ended by a newline; empty for an empty plan. */
  @Override
  public String toString() {
    var text = new StringBuilder();
    lines().forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }
}
