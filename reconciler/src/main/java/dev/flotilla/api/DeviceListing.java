package dev.flotilla.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.model.Condition;
import dev.flotilla.publish.Published;
import dev.flotilla.publish.Publisher;
import dev.flotilla.status.StatusBoard;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/devices}: what the reconciler knows of each device beyond the repo, for {@code flotilla devices}:
 * the bundle version it publishes, the version the device last reported, when it reported, its Ready condition
 * and how many of its resources comply. Operators only: the request must carry an operator token as a Bearer
 * token, whoever the caller is (loopback included); a token scoped to tenants lists only their devices.
 */
final class DeviceListing {
  private DeviceListing() {}

  static int handle(HttpExchange exchange, Callers callers, Publisher published, StatusBoard statuses,
      ObjectMapper json) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    var scope = callers.scope(exchange);
    if (scope.isEmpty()) {
      return Responses.send(exchange, 401, "list devices: operator token required; send 'Authorization: Bearer "
          + "<operator token>'");
    }
    var rows = rows(published.all(), statuses.all(), json);
    if (!scope.get().allTenants()) {
      rows.removeIf(row -> !scope.get().sees(row.path("tenant").asText(null)));
    }
    return Responses.json(exchange, 200, json.writeValueAsBytes(rows));
  }

  /** One object per device that is published or has reported, by name. */
  static ArrayNode rows(Map<String, Published> published, Map<String, StatusBoard.Entry> statuses,
      ObjectMapper json) {
    var names = new TreeSet<String>(published.keySet());
    names.addAll(statuses.keySet());
    var rows = json.createArrayNode();
    for (var name : names) {
      var row = rows.addObject().put("name", name);
      var bundle = published.get(name);
      if (bundle != null) {
        row.put("tenant", bundle.tenant()).put("publishedVersion", bundle.version());
      }
      var entry = statuses.get(name);
      if (entry != null) {
        reported(row, entry);
      }
    }
    return rows;
  }

  private static void reported(ObjectNode row, StatusBoard.Entry entry) {
    var report = entry.report();
    if (report.getBundleVersion() != null) {
      row.put("reportedVersion", report.getBundleVersion());
    }
    row.put("observedAt", String.valueOf(report.getObservedAt())).put("receivedAt", entry.receivedAt().toString());
    report.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
        .ifPresent((Condition c) -> row.putObject("ready").put("status", String.valueOf(c.getStatus()))
            .put("reason", c.getReason()));
    var resources = report.getResources() == null ? java.util.List.<dev.flotilla.model.ResourceStatus>of()
        : report.getResources();
    row.put("compliant", resources.stream().filter(r -> Boolean.TRUE.equals(r.getCompliant())).count())
        .put("resources", resources.size());
    DeviceObserved.failing(entry).stream().findFirst().ifPresent(r -> row.putObject("failing")
        .put("kind", r.getKind()).put("name", r.getName()).put("message", r.getMessage()));
  }
}
