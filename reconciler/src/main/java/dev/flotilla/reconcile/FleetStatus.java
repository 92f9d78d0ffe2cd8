package dev.flotilla.reconcile;

import dev.flotilla.schema.Problem;
import dev.flotilla.git.Revision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the reconciler stands: the last commit it served ({@code good}), the last one it saw, and one Ready
 * condition with a CamelCase reason. When the newest commit was refused, {@code problems} says why and devices keep
 * the bundles of {@code good}. When it was served with tenants held back (reason {@code TenantsHeldBack}),
 * {@code heldBack} says which, since when and why, and {@code problems} lists their errors.
 */
public record FleetStatus(Revision good, Revision seen, boolean ready, String reason, String message,
    Instant since, List<Problem> problems, Map<String, HeldBack> heldBack) {

  /**
   * A tenant whose own files have errors: its devices keep their bundles and its rollouts do not step.
   *
   * @param lastGood the last commit the tenant was served at; null when it never was
   * @param since the first commit of this hold-back
   * @param at when that commit was seen
   * @param problems its errors at the newest commit served, with file and line
   */
  public record HeldBack(Revision lastGood, Revision since, Instant at, List<Problem> problems) {}

  public FleetStatus {
    problems = List.copyOf(problems);
    heldBack = java.util.Collections.unmodifiableMap(new TreeMap<>(heldBack));
  }

  public static FleetStatus starting(Instant now) {
    return new FleetStatus(null, null, false, "Starting", "no commit fetched yet", now, List.of(), Map.of());
  }

  /**
   * The held-back tenants after serving {@code revision} with {@code problems} by tenant: one held back before keeps
   * its {@code lastGood} and {@code since}; a new one was last good at the commit served before, if it was there.
   */
  public Map<String, HeldBack> holdBack(Revision revision, Map<String, List<Problem>> problems, Instant now,
      java.util.function.Predicate<String> servedBefore) {
    var next = new TreeMap<String, HeldBack>();
    problems.forEach((tenant, errors) -> {
      var before = heldBack.get(tenant);
      next.put(tenant, before != null ? new HeldBack(before.lastGood(), before.since(), before.at(), errors)
          : new HeldBack(servedBefore.test(tenant) ? good : null, revision, now, errors));
    });
    return next;
  }

  /** The held-back tenants as plain values for JSON: since, lastGood (commit ids), at and problems (as printed). */
  public Map<String, Map<String, Object>> heldBackReport() {
    var report = new TreeMap<String, Map<String, Object>>();
    heldBack.forEach((tenant, held) -> {
      var entry = new LinkedHashMap<String, Object>();
      entry.put("since", held.since().commit());
      entry.put("lastGood", held.lastGood() == null ? null : held.lastGood().commit());
      entry.put("at", held.at().toString());
      entry.put("problems", held.problems().stream().map(Problem::toString).toList());
      report.put(tenant, entry);
    });
    return report;
  }
}
