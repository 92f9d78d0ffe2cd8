package dev.flotilla.history;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.status.StatusBoard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides when a device goes offline and comes back, from the arrival times of its status reports: offline once
 * {@code missed} poll intervals pass without a report, online at its next report. Each transition is recorded once;
 * what a device was last recorded as is read back from the history, so a restarted reconciler records a device
 * that comes back after an outage as online again, and does not record an offline device twice. Heartbeats are
 * never recorded. Thread-safe; {@link #check} is called on a timer.
 */
public final class Presence implements AutoCloseable {
  /** What presence needs to know of a served device: its tenant and poll interval; null for a device not served. */
  public record Device(String tenant, Duration pollInterval) {}

  private static final System.Logger LOG = System.getLogger("flotilla.history");
  private static final Set<EventKind> KINDS = Set.of(EventKind.OFFLINE, EventKind.ONLINE);
  private final StatusBoard board;
  private final History history;
  private final Function<String, Device> devices;
  private final int missed;
  private final Clock clock;
  private final Map<String, Boolean> offline = new ConcurrentHashMap<>();
  private volatile Thread ticker;

  public Presence(StatusBoard board, History history, Function<String, Device> devices, int missed, Clock clock) {
    this.board = board;
    this.history = history;
    this.devices = devices;
    this.missed = missed;
    this.clock = clock;
  }

  /** Checks every {@code every} on a thread of its own until {@link #close}. */
  public void start(java.time.Duration every) {
    ticker = Thread.ofVirtual().name("flotilla-presence").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(every);
        } catch (InterruptedException e) {
          return;
        }
        try {
          check();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "check which devices are offline: " + e.getMessage()
              + "; checking again in " + every);
        }
      }
    });
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.interrupt();
    }
  }

  /** Records the devices that went offline or came back since the last check. */
  public synchronized void check() {
    var now = clock.instant();
    board.all().forEach((name, entry) -> {
      var device = devices.apply(name);
      if (device != null) {
        check(name, device, entry.receivedAt(), now);
      }
    });
  }

  private void check(String name, Device device, Instant lastSeen, Instant now) {
    var deadline = lastSeen.plus(device.pollInterval().multipliedBy(missed));
    boolean gone = now.isAfter(deadline);
    boolean was = offline.computeIfAbsent(name, this::lastRecordedOffline);
    if (gone == was) {
      return;
    }
    offline.put(name, gone);
    var detail = JsonNodeFactory.instance.objectNode().put("lastSeen", lastSeen.toString());
    if (gone) {
      detail.put("missedReports", missed).put("pollInterval", device.pollInterval().toString());
    }
    history.record(new HistoryEvent(gone ? now : lastSeen, device.tenant(), name,
        gone ? EventKind.OFFLINE : EventKind.ONLINE, null, detail));
  }

  private boolean lastRecordedOffline(String device) {
    var last = history.query(new HistoryQuery(null, device, KINDS, null, null, 1));
    return !last.isEmpty() && last.getFirst().kind() == EventKind.OFFLINE;
  }
}
