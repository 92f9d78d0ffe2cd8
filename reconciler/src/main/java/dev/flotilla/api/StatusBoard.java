package dev.flotilla.api;

import dev.flotilla.model.StatusReport;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last status report of each device and when it arrived. Held in memory only: devices report again on every
 * pass, so a restarted reconciler knows the fleet again within one poll interval.
 */
public final class StatusBoard {
  /** A report and the server time it arrived. */
  public record Entry(StatusReport report, Instant receivedAt) {}

  private final Map<String, Entry> reports = new ConcurrentHashMap<>();

  void put(String device, StatusReport report, Instant at) {
    reports.put(device, new Entry(report, at));
  }

  public Entry get(String device) {
    return reports.get(device);
  }

  public Map<String, Entry> all() {
    return Map.copyOf(reports);
  }
}
