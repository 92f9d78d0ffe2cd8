package dev.flotilla.validate;

import dev.flotilla.schema.Problem;
import dev.flotilla.schema.Severity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whom a commit's errors hold back. A file under {@code tenants/<t>/} is tenant t's; every other file is shared
 * between tenants: {@code fleet.yaml}, {@code trust/root.json}, {@code artifacts/**} (a tenant's artifact too: the
 * folder is shared) and anything outside a tenant folder, misplaced or not. An error is fleet-wide, and refuses the
 * whole commit, when any file it involves ({@link Problem#files()}) is shared. Otherwise it holds back every tenant
 * whose files it involves: the tenant alone for a problem of its own files, both tenants for a duplicate across two.
 * Warnings hold back nothing. Pure.
 *
 * @param fleetWide the errors that refuse the whole commit, in {@link Problem#ORDER}
 * @param tenants the errors of each held-back tenant, by tenant name; an error across tenants is under each
 */
public record Attribution(List<Problem> fleetWide, Map<String, List<Problem>> tenants) {

  public static Attribution of(Collection<Problem> problems) {
    var fleetWide = new ArrayList<Problem>();
    var tenants = new TreeMap<String, List<Problem>>();
    problems.stream().filter(p -> p.severity() == Severity.ERROR).sorted(Problem.ORDER).forEach(problem -> {
      var owners = new TreeSet<String>();
      for (var file : problem.files()) {
        var tenant = tenantOf(file);
        if (tenant.isEmpty()) {
          fleetWide.add(problem);
          return;
        }
        owners.add(tenant.get());
      }
      owners.forEach(t -> tenants.computeIfAbsent(t, k -> new ArrayList<>()).add(problem));
    });
    tenants.replaceAll((t, list) -> List.copyOf(list));
    return new Attribution(List.copyOf(fleetWide), java.util.Collections.unmodifiableMap(tenants));
  }

  /** The tenant whose folder holds {@code path}, or empty for a shared file. */
  public static Optional<String> tenantOf(String path) {
    if (!path.startsWith("tenants/")) {
      return Optional.empty();
    }
    var rest = path.substring("tenants/".length());
    var slash = rest.indexOf('/');
    return slash > 0 ? Optional.of(rest.substring(0, slash)) : Optional.empty();
  }

  /** Whether an error refuses the whole commit. */
  public boolean refusesCommit() {
    return !fleetWide.isEmpty();
  }
}
