package dev.flotilla.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.model.StatusReport;
import dev.flotilla.status.StatusBoard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final Duration POLL = Duration.ofSeconds(60);

  /** A clock tests move. */
  static final class Moving extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final Moving clock = new Moving();
  final StatusBoard board = new StatusBoard();
  final RecentHistory history = new RecentHistory(100);
  final Presence presence = new Presence(board, history,
      name -> name.startsWith("kiosk") ? new Presence.Device("acme", POLL) : null, clock);

  void report(String device) {
    var report = new StatusReport();
    report.setDevice(device);
    board.put(device, report, clock.now);
  }

  List<String> recorded() {
    return history.query(HistoryQuery.ofTenant("acme", 100)).reversed().stream()
        .map(e -> e.device() + " " + e.kind().wireName() + " " + e.at()).toList();
  }

  @Test
  void aDeviceIsOfflineAfterThreeMissedReportsAndOnlineAtItsNextOneEachRecordedOnce() {
    report("kiosk-1");
    clock.now = T0.plusSeconds(180);
    presence.check();
    assertThat(recorded()).isEmpty();

    clock.now = T0.plusSeconds(181);
    presence.check();
    presence.check();
    assertThat(recorded()).containsExactly("kiosk-1 offline 2026-12-07T10:03:01Z");
    assertThat(history.query(HistoryQuery.ofDevice("kiosk-1", 1)).getFirst().detail().toString())
        .isEqualTo("{\"lastSeen\":\"2026-12-07T10:00:00Z\",\"missedReports\":3,\"pollInterval\":\"PT1M\"}");

    clock.now = T0.plusSeconds(500);
    report("kiosk-1");
    presence.check();
    presence.check();
    assertThat(recorded()).containsExactly("kiosk-1 offline 2026-12-07T10:03:01Z",
        "kiosk-1 online 2026-12-07T10:08:20Z");
  }

  @Test
  void devicesTheFleetDoesNotServeAreNotRecorded() {
    report("removed-1");
    clock.now = T0.plus(Duration.ofHours(1));
    presence.check();

    assertThat(history.query(HistoryQuery.ofDevice("removed-1", 10))).isEmpty();
  }

  @Test
  void aRestartedReconcilerReadsTheLastRecordedStateFromHistory() {
    history.record(new HistoryEvent(T0.minusSeconds(600), "acme", "kiosk-2", EventKind.OFFLINE, null,
        JsonNodeFactory.instance.objectNode()));
    report("kiosk-2");
    presence.check();
    assertThat(recorded()).containsExactly("kiosk-2 offline 2026-12-07T09:50:00Z",
        "kiosk-2 online 2026-12-07T10:00:00Z");

    clock.now = T0.plus(Duration.ofHours(1));
    var fresh = new Presence(board, history, name -> new Presence.Device("acme", POLL), clock);
    fresh.check();
    fresh.check();
    assertThat(recorded()).hasSize(3).last().isEqualTo("kiosk-2 offline 2026-12-07T11:00:00Z");
  }
}
