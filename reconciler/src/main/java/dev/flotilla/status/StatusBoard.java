package dev.flotilla.status;

import dev.flotilla.model.StatusReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The last status report of each device and when it arrived. Held in memory only: devices report again on every
 * pass, so a restarted reconciler knows the fleet again within one poll interval.
 */
public final class StatusBoard {
  /** A report and the server time it arrived. */
  public record Entry(StatusReport report, Instant receivedAt) {}

  private final Map<String, Entry> reports = new ConcurrentHashMap<>();
  private volatile Runnable onAppsChanged = () -> {};
  private final List<BiConsumer<String, Entry>> onReport = new CopyOnWriteArrayList<>();

  /** Runs {@code listener} whenever a device reports other app versions or health than before (rollouts wait on it). */
  public void onAppsChanged(Runnable listener) {
    this.onAppsChanged = listener;
  }

  /** Calls {@code listener} with every report, after it is stored (live pages listen here). */
  public void onReport(BiConsumer<String, Entry> listener) {
    onReport.add(listener);
  }

  public void put(String device, StatusReport report, Instant at) {
    var before = reports.get(device);
    report.setHost(HostMerge.merge(before == null ? null : before.report().getHost(), report.getHost()));
    var entry = new Entry(report, at);
    var previous = reports.put(device, entry);
    onReport.forEach(listener -> listener.accept(device, entry));
    if (previous == null || !Objects.equals(previous.report().getApps(), report.getApps())) {
      onAppsChanged.run();
    }
  }

  public Entry get(String device) {
    return reports.get(device);
  }

  public Map<String, Entry> all() {
    return Map.copyOf(reports);
  }
}
