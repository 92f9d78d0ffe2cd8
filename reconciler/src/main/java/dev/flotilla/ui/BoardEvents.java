package dev.flotilla.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.access.OperatorScope;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.status.StatusBoard;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What open pages are told, as Server-Sent Events: {@code device} when a device's state on the board changes (a
 * report turns it failing, drifted, in sync...), {@code history} for every event recorded. Each subscriber has an
 * operator's scope and gets only what that scope sees. A subscriber that falls 256 events behind is dropped (its
 * page reconnects and reloads). Thread-safe.
 */
final class BoardEvents {
  static final String CLOSED = "";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FleetRows rows;
  private final Map<String, DeviceState> states = new ConcurrentHashMap<>();
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

  /** One open page: its scope and the events waiting to be written to it. */
  record Subscriber(OperatorScope scope, BlockingQueue<String> queue) {}

  BoardEvents(FleetRows rows) {
    this.rows = rows;
  }

  Subscriber subscribe(OperatorScope scope) {
    var subscriber = new Subscriber(scope, new ArrayBlockingQueue<>(256));
    subscribers.add(subscriber);
    return subscriber;
  }

  void unsubscribe(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  /** A report arrived: tells the pages when it changed the device's state. */
  void reported(String device, StatusBoard.Entry entry) {
    var row = rows.row(device, entry);
    if (row == null) {
      return;
    }
    var previous = states.put(device, row.state());
    if (previous == row.state()) {
      return;
    }
    send(row.tenant(), "device", JSON.createObjectNode().put("name", row.name()).put("tenant", row.tenant())
        .put("state", row.state().css()).put("previous", previous == null ? null : previous.css())
        .put("label", row.state().label()).put("problem", row.problem())
        .put("reported", row.reported()).put("apps", row.apps()).toString());
  }

  void recorded(HistoryEvent event) {
    var line = ScopedHistory.line(event);
    send(event.tenant(), "history", JSON.createObjectNode().put("at", line.at().toString())
        .put("tenant", line.tenant()).put("device", line.device()).put("kind", line.kind())
        .put("commit", line.commit()).put("summary", line.summary()).toString());
  }

  /** Ends every open stream. */
  void close() {
    subscribers.forEach(s -> s.queue().offer(CLOSED));
    subscribers.clear();
  }

  private void send(String tenant, String event, String data) {
    var message = "event: " + event + "\ndata: " + data + "\n\n";
    for (var subscriber : subscribers) {
      if (subscriber.scope().sees(tenant) && !subscriber.queue().offer(message)) {
        subscribers.remove(subscriber);
        subscriber.queue().clear();
        subscriber.queue().offer(CLOSED);
      }
    }
  }
}
