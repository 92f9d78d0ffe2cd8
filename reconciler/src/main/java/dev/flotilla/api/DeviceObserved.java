package dev.flotilla.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.publish.Published;
import dev.flotilla.status.StatusBoard;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /v1/devices/{id}}: what the reconciler observed of one device, for {@code flotilla device describe}:
 * the bundle it publishes, its last status report and when it arrived, its failing resources with their reasons,
 * and its {@value #RECENT} newest history events. 404 when the reconciler knows nothing of it. Operators only.
 */
final class DeviceObserved {
  static final int RECENT = 20;

  private DeviceObserved() {}

  static int handle(HttpExchange exchange, String device, Callers callers, ApiRoutes.Fleet fleet, History history,
      ObjectMapper json) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    if (!callers.operator(exchange)) {
      return Responses.send(exchange, 401, "describe device: operator token required; send 'Authorization: Bearer "
          + "<operator token>'");
    }
    var published = fleet.publisher().all().get(device);
    var entry = fleet.statuses().get(device);
    var events = history == null ? List.<dev.flotilla.history.HistoryEvent>of()
        : history.query(HistoryQuery.ofDevice(device, RECENT));
    if (published == null && entry == null && events.isEmpty()) {
      return Responses.send(exchange, 404, "describe device '" + device + "': the reconciler knows nothing of it; "
          + "check the name with 'flotilla devices'");
    }
    return Responses.json(exchange, 200, json.writeValueAsBytes(observed(device, published, entry, events, json)));
  }

  static ObjectNode observed(String device, Published published, StatusBoard.Entry entry,
      List<dev.flotilla.history.HistoryEvent> events, ObjectMapper json) {
    var node = json.createObjectNode().put("device", device);
    if (published != null) {
      node.put("tenant", published.tenant()).put("publishedVersion", published.version())
          .put("publishedCommit", published.sourceCommit());
    }
    if (entry != null) {
      node.put("receivedAt", entry.receivedAt().toString());
      node.set("report", json.valueToTree(entry.report()));
      var failing = node.putArray("failing");
      for (var resource : failing(entry)) {
        failing.addObject().put("kind", resource.getKind()).put("name", resource.getName())
            .put("message", resource.getMessage());
      }
    }
    node.set("history", HistoryRoute.events(events, json));
    return node;
  }

  /** The resources of the last report that do not comply, in the order reported. */
  static List<ResourceStatus> failing(StatusBoard.Entry entry) {
    var resources = entry.report().getResources();
    return resources == null ? List.of()
        : resources.stream().filter(r -> !Boolean.TRUE.equals(r.getCompliant())).toList();
  }
}
