package dev.flotilla.history;

import java.time.Instant;
import java.util.Set;

/**
 * Which events to return, newest first. Null fields do not filter; an empty {@code kinds} means every kind.
 *
 * @param limit at most this many events (the newest ones)
 */
public record HistoryQuery(String tenant, String device, Set<EventKind> kinds, Instant since, Instant until,
    int limit) {
  public HistoryQuery {
    kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  public static HistoryQuery ofDevice(String device, int limit) {
    return new HistoryQuery(null, device, Set.of(), null, null, limit);
  }

  public static HistoryQuery ofTenant(String tenant, int limit) {
    return new HistoryQuery(tenant, null, Set.of(), null, null, limit);
  }

  public boolean matches(HistoryEvent event) {
    return (tenant == null || tenant.equals(event.tenant()))
        && (device == null || device.equals(event.device()))
        && (kinds.isEmpty() || kinds.contains(event.kind()))
        && (since == null || !event.at().isBefore(since))
        && (until == null || event.at().isBefore(until));
  }
}
