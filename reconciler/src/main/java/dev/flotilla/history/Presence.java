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
 * {@value #MISSED_REPORTS} poll intervals pass without a report, online at its next report. Each transition is recorded once;
 * what a device was last recorded as is read back from the history, so a restarted reconciler records a device
 * that comes back after an outage as online again, and does not record an offline device twice. Heartbeats are
 * never recorded. Thread-safe; {@link #check} is called on a timer.
 */
public final class Presence implements AutoCloseable {
  /** What presence needs to know of a served device: its tenant and poll interval; null for a device not served. */
  public record Device(String tenant, Duration pollInterval) {}

  /** Reports a device may miss before it is offline. */
  public static final int MISSED_REPORTS = 3;
  private static final System.Logger LOG = System.getLogger("flotilla.history");
  private static final Set<EventKind> KINDS = Set.of(EventKind.OFFLINE, EventKind.ONLINE);
  private final StatusBoard board;
  private final History history;
  private final Function<String, Device> devices;
  private final Clock clock;
  private final Map<String, Boolean> offline = new ConcurrentHashMap<>();
  private volatile Thread ticker;

  /** The agent's own poll interval when the fleet sets none. */
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(60);

  /** How often the devices of {@code fleet} poll: its default, else the agent's. */
  public static Duration pollInterval(dev.flotilla.model.Fleet fleet) {
    var defaults = fleet == null ? null : fleet.getSpec().getDefaults();
    return defaults == null || defaults.getPollInterval() == null ? DEFAULT_POLL
        : dev.flotilla.schema.Durations.parse(defaults.getPollInterval());
  }

  /** Whether a device last seen at {@code lastSeen} polling every {@code pollInterval} is offline at {@code now}. */
  public static boolean offline(Instant lastSeen, Duration pollInterval, Instant now) {
    return now.isAfter(lastSeen.plus(pollInterval.multipliedBy(MISSED_REPORTS)));
  }

  public Presence(StatusBoard board, History history, Function<String, Device> devices, Clock clock) {
    this.board = board;
    this.history = history;
    this.devices = devices;
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
    boolean gone = offline(lastSeen, device.pollInterval(), now);
    boolean was = offline.computeIfAbsent(name, this::lastRecordedOffline);
    if (gone == was) {
      return;
    }
    offline.put(name, gone);
    var detail = JsonNodeFactory.instance.objectNode().put("lastSeen", lastSeen.toString());
    if (gone) {
      detail.put("missedReports", MISSED_REPORTS).put("pollInterval", device.pollInterval().toString());
    }
    history.record(new HistoryEvent(gone ? now : lastSeen, device.tenant(), name,
        gone ? EventKind.OFFLINE : EventKind.ONLINE, null, detail));
  }

  private boolean lastRecordedOffline(String device) {
    var last = history.query(new HistoryQuery(null, device, KINDS, null, null, 1));
    return !last.isEmpty() && last.getFirst().kind() == EventKind.OFFLINE;
  }
}
