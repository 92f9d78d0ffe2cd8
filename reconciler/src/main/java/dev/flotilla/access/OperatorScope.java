package dev.flotilla.access;

import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What one operator token may see: every tenant and the fleet-wide history, or only the named tenants' devices,
 * rollouts and history. A value.
 *
 * @param name the operator's name (its file under {@code operators/}, or {@code operator} for the reconciler's own
 *     token)
 * @param tenants the tenants it sees; null for all
 */
public record OperatorScope(String name, Set<String> tenants) {
  public OperatorScope {
    tenants = tenants == null ? null : Set.copyOf(tenants);
  }

  public static OperatorScope all(String name) {
    return new OperatorScope(name, null);
  }

  public boolean allTenants() {
    return tenants == null;
  }

  /** Whether it sees what belongs to {@code tenant}; what belongs to no tenant (null) only an all-tenants token sees. */
  public boolean sees(String tenant) {
    return tenants == null || tenant != null && tenants.contains(tenant);
  }

  /** The items of {@code items} whose tenant it sees. */
  public <T> Stream<T> filter(Stream<T> items, Function<T, String> tenantOf) {
    return tenants == null ? items : items.filter(item -> sees(tenantOf.apply(item)));
  }
}
