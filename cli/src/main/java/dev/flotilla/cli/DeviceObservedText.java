package dev.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;

/** How {@code flotilla device describe --server} prints what the reconciler observed ({@code GET /v1/devices/{id}}). */
final class DeviceObservedText {
  private DeviceObservedText() {}

  static void print(PrintWriter out, JsonNode observed) {
    out.println("# observed by the reconciler");
    if (observed.hasNonNull("publishedVersion")) {
      out.printf("published: bundle version %d of commit %s%n", observed.get("publishedVersion").asLong(),
          observed.path("publishedCommit").asText("-"));
    }
    var report = observed.path("report");
    if (report.isMissingNode()) {
      out.println("last report: none since the reconciler started");
    } else {
      out.printf("last report: %s, bundle version %s%s%n", observed.path("receivedAt").asText(),
          report.path("bundleVersion").asText("-"), ready(report));
      var failing = observed.path("failing");
      out.println(failing.isEmpty() ? "failing resources: none" : "failing resources:");
      failing.forEach(f -> out.printf("  %s %s: %s%n", f.path("kind").asText(), f.path("name").asText(),
          f.path("message").asText("not compliant")));
      if (!report.path("journal").isEmpty()) {
        out.println("journal:");
        report.path("journal").forEach(line -> out.println("  " + line.asText()));
      }
    }
    var events = new ArrayList<HistoryCommand.Event>();
    observed.path("history").forEach(e -> events.add(new HistoryCommand.Event(Instant.parse(e.path("at").asText()),
        e.path("tenant").asText(null), e.path("device").asText(null), e.path("kind").asText(),
        e.path("commit").asText(null), e.path("detail"))));
    out.println(events.isEmpty() ? "recent history: none" : "recent history:");
    HistoryCommand.text(out, events);
  }

  private static String ready(JsonNode report) {
    for (var condition : report.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return ", Ready " + condition.path("status").asText() + " (" + condition.path("reason").asText() + ")"
            + (condition.hasNonNull("message") ? ": " + condition.get("message").asText() : "");
      }
    }
    return "";
  }
}
