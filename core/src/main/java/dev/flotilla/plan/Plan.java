package dev.flotilla.plan;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>Resources in {@code held} have a disruptive change that waits for a maintenance window ({@link Holds}): every
 * change of such a resource waits with it, except an app's download ({@link InstallApp}), which goes ahead so the
 * window is spent on the switch. {@link #now()} is what may be applied at once; {@link #lines()} marks held changes
 * with {@code [held until Tue 02:00 CET]}.
 *
 * @param changes the changes, in order
 * @param reportOnlyKeys keys of the changes whose resource is in drift mode {@code report}
 * @param held by resource key, the resources whose changes wait, and until when
 */
public record Plan(List<Change> changes, Set<String> reportOnlyKeys, Map<String, Hold> held) {
  public static final Plan EMPTY = new Plan(List.of());

  /**
   * Until when a resource's changes wait.
   *
   * @param until when they apply, as people read it ({@code Tue 02:00 CET}), or why no window will do
   * @param at the instant the window opens; null when none opens that is long enough
   */
  public record Hold(String until, Instant at) {
    /** The note a held change's line ends with: {@code held until Tue 02:00 CET}. */
    public String note() {
      return at == null ? "held: " + until : "held until " + until;
    }
  }

  public Plan {
    changes = List.copyOf(changes);
    reportOnlyKeys = Collections.unmodifiableSortedSet(new TreeSet<>(reportOnlyKeys));
    held = Collections.unmodifiableSortedMap(new TreeMap<>(held));
  }

  /** A plan that holds nothing. */
  public Plan(List<Change> changes, Set<String> reportOnlyKeys) {
    this(changes, reportOnlyKeys, Map.of());
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

  /** Whether {@code change} waits for a maintenance window. */
  public boolean isHeld(Change change) {
    return !(change instanceof InstallApp) && held.containsKey(change.resourceKey());
  }

  /** What may be applied at once: the changes not held, with their report-only keys; this plan when none is. */
  public Plan now() {
    return held.isEmpty() ? this : new Plan(changes.stream().filter(c -> !isHeld(c)).toList(), reportOnlyKeys);
  }

  /** The changes that wait for a maintenance window, with their holds. */
  public Plan heldChanges() {
    return new Plan(changes.stream().filter(this::isHeld).toList(), Set.of(), held);
  }

  /** The earliest instant a held change may apply, if any waits for a window that opens. */
  public Optional<Instant> nextOpening() {
    return held.values().stream().map(Hold::at).filter(Objects::nonNull).min(Comparator.naturalOrder());
  }

  /** This plan with the changes of {@code holds}' resources held. */
  Plan holding(Map<String, Hold> holds) {
    return new Plan(changes, reportOnlyKeys, holds);
  }

  /**
   * The changes to apply when the bundle is unchanged: every change neither in drift mode {@code report} nor held.
   */
  public Plan enforceable() {
    return new Plan(changes.stream().filter(c -> !isReportOnly(c) && !isHeld(c)).toList());
  }

  /** The changes that are only reported when the bundle is unchanged. */
  public Plan reportOnly() {
    return new Plan(changes.stream().filter(this::isReportOnly).toList(), reportOnlyKeys);
  }

  /**
   * One line per change, such as {@code + file /etc/motd}, {@code ~ sysctl k 0 -> 1 [report]} or {@code ~ unit
   * pos.service (restart: unit file changed) [held until Tue 02:00 CET]}.
   */
  public List<String> lines() {
    return changes.stream().map(this::line).toList();
  }

  private String line(Change change) {
    var line = isReportOnly(change) ? change.line() + " [report]" : change.line();
    return isHeld(change) ? line + " [" + held.get(change.resourceKey()).note() + "]" : line;
  }

  /** {@link #lines()}, each ended by a newline; empty for an empty plan. */
  @Override
  public String toString() {
    var text = new StringBuilder();
    lines().forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }
}
