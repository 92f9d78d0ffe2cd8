package dev.flotilla.reconcile;

import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.schema.Problem;
import dev.flotilla.schema.Severity;
import dev.flotilla.validate.Attribution;
import dev.flotilla.validate.FleetChecks;
import dev.flotilla.validate.FleetValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the reconciler takes of a validated commit ({@link Attribution} says whom each error holds back). A commit
 * with a fleet-wide error is refused whole. Otherwise the commit is taken for its shared files and every tenant
 * without an error ({@code accepted}: what is rendered and whose rollouts step), while each held-back tenant keeps
 * the documents it was last served with ({@code served}: who may call the API, what claims and gauges see); its
 * devices keep their bundles. Old documents next to new ones can clash where neither commit does, such as a new
 * device named like one a held-back tenant still serves, or with its key: so the checks across files run again on
 * {@code served}, and a tenant whose files clash with a held-back tenant's is held back too, until nothing clashes.
 * Pure.
 *
 * @param accepted the commit without the held-back tenants' files; null when refused
 * @param served {@code accepted} plus the held-back tenants' previously served files; null when refused
 * @param heldBack the errors of each held-back tenant, by name
 * @param fleetWide the errors that refuse the whole commit
 */
public record Acceptance(FleetSnapshot accepted, FleetSnapshot served, Map<String, List<Problem>> heldBack,
    List<Problem> fleetWide) {

  /** Decides on {@code report}; {@code previous} is the snapshot served so far, or null before the first. */
  public static Acceptance of(FleetValidator.Report report, FleetSnapshot previous, Instant now) {
    var attribution = Attribution.of(report.problems());
    if (attribution.refusesCommit()) {
      return new Acceptance(null, null, attribution.tenants(), attribution.fleetWide());
    }
    var next = report.snapshot();
    var held = new TreeMap<>(attribution.tenants());
    while (true) {
      var served = compose(next, previous, held.keySet());
      var clashes = held.isEmpty() ? Map.<String, List<Problem>>of() : clashes(served, held.keySet(), now);
      if (clashes.isEmpty()) {
        return new Acceptance(compose(next, null, held.keySet()), served, Collections.unmodifiableMap(held),
            List.of());
      }
      clashes.forEach((tenant, problems) -> held.put(tenant, List.copyOf(problems)));
    }
  }

  public boolean refused() {
    return !fleetWide.isEmpty();
  }

  /** The errors of {@code served} that involve a held-back tenant's file, under each other tenant they involve. */
  private static Map<String, List<Problem>> clashes(FleetSnapshot served, Set<String> held, Instant now) {
    var clashes = new TreeMap<String, List<Problem>>();
    for (var problem : FleetChecks.check(served, now)) {
      var tenants = new TreeSet<String>();
      problem.files().forEach(file -> Attribution.tenantOf(file).ifPresent(tenants::add));
      if (problem.severity() == Severity.ERROR && tenants.stream().anyMatch(held::contains)) {
        tenants.stream().filter(t -> !held.contains(t))
            .forEach(t -> clashes.computeIfAbsent(t, k -> new ArrayList<>()).add(problem));
      }
    }
    return clashes;
  }

  /** {@code next} with the files of {@code held} tenants taken from {@code previous} (none when it is null). */
  static FleetSnapshot compose(FleetSnapshot next, FleetSnapshot previous, Set<String> held) {
    var old = previous == null ? empty() : previous;
    var rejected = new TreeSet<>(next.rejected());
    rejected.removeIf(path -> isHeld(path, held));
    return new FleetSnapshot(next.fleet(), next.trustRoot(), pick(next.tenants(), old.tenants(), held),
        pick(next.devices(), old.devices(), held), pick(next.policies(), old.policies(), held),
        pick(next.rollouts(), old.rollouts(), held), pick(next.claimTokens(), old.claimTokens(), held),
        next.artifacts(), pick(next.secrets(), old.secrets(), held), rejected, next.operators());
  }

  private static <T> List<Document<T>> pick(List<Document<T>> next, List<Document<T>> previous, Set<String> held) {
    if (held.isEmpty()) {
      return next;
    }
    var out = new ArrayList<Document<T>>();
    next.stream().filter(d -> !isHeld(d.path(), held)).forEach(out::add);
    previous.stream().filter(d -> isHeld(d.path(), held)).forEach(out::add);
    out.sort(Comparator.comparing(Document::path));
    return out;
  }

  private static boolean isHeld(String path, Set<String> held) {
    return Attribution.tenantOf(path).filter(held::contains).isPresent();
  }

  private static FleetSnapshot empty() {
    return new FleetSnapshot(java.util.Optional.empty(), java.util.Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), Set.of(), List.of());
  }
}
