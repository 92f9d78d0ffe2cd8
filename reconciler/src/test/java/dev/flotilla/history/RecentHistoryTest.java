package dev.flotilla.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentHistoryTest {
  private static HistoryEvent event(int second, String device, EventKind kind) {
    return new HistoryEvent(Instant.ofEpochSecond(second), "acme", device, kind, null,
        JsonNodeFactory.instance.objectNode());
  }

  @Test
  void returnsTheNewestMatchingEventsFirstAndForgetsBeyondItsCapacity() {
    var history = new RecentHistory(3);
    history.record(event(1, "kiosk-1", EventKind.OFFLINE));
    history.record(event(2, "kiosk-2", EventKind.OFFLINE));
    history.record(event(3, "kiosk-1", EventKind.ONLINE));
    history.record(event(4, "kiosk-1", EventKind.RECEIPT));

    assertThat(history.query(HistoryQuery.ofDevice("kiosk-1", 10)))
        .extracting(HistoryEvent::kind).containsExactly(EventKind.RECEIPT, EventKind.ONLINE);
    assertThat(history.query(new HistoryQuery(null, null, Set.of(EventKind.OFFLINE), null, null, 10)))
        .extracting(HistoryEvent::device).containsExactly("kiosk-2");
    assertThat(history.query(HistoryQuery.ofTenant("acme", 1))).extracting(e -> e.at().getEpochSecond())
        .containsExactly(4L);
  }

  @Test
  void tellsSubscribersOfEveryEventRecordedAfterThey() {
    var history = new RecentHistory(10);
    history.record(event(1, "kiosk-1", EventKind.OFFLINE));
    var seen = new ArrayList<HistoryEvent>();
    history.subscribe(seen::add);
    history.record(event(2, "kiosk-1", EventKind.ONLINE));
    assertThat(seen).extracting(HistoryEvent::kind).containsExactly(EventKind.ONLINE);
  }

  @Test
  void kindsRoundTripThroughTheirWireNames() {
    for (var kind : EventKind.values()) {
      assertThat(EventKind.fromWireName(kind.wireName())).isEqualTo(kind);
    }
    assertThat(EventKind.fromWireName("heartbeat")).isNull();
  }
}
