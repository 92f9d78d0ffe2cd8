package dev.flotilla.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.access.OperatorScope;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.ui.Views.EventLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * History as one operator may see it: a token scoped to tenants gets its tenants' events only (queried tenant by
 * tenant, so the limit counts only what it sees) and never the fleet-wide ones (commits). Reads only.
 */
final class ScopedHistory {
  private ScopedHistory() {}

  static List<HistoryEvent> query(History history, OperatorScope scope, HistoryQuery query) {
    if (scope.allTenants()) {
      return history.query(query);
    }
    if (query.tenant() != null) {
      return scope.sees(query.tenant()) ? history.query(query) : List.of();
    }
    var found = new ArrayList<HistoryEvent>();
    for (var tenant : scope.tenants()) {
      found.addAll(history.query(new HistoryQuery(tenant, query.device(), query.kinds(), query.since(),
          query.until(), query.limit())));
    }
    found.sort(Comparator.comparing(HistoryEvent::at).reversed());
    return found.size() > query.limit() ? List.copyOf(found.subList(0, query.limit())) : found;
  }

  static List<EventLine> lines(List<HistoryEvent> events) {
    return events.stream().map(ScopedHistory::line).toList();
  }

  static EventLine line(HistoryEvent event) {
    return new EventLine(event.at(), event.tenant(), event.device(), event.kind().wireName(), event.commit(),
        summary(event.detail()));
  }

  /** The detail in a few words: its message, outcome or reason when it has one, else its first plain fields. */
  static String summary(JsonNode detail) {
    for (var field : List.of("message", "summary", "outcome", "reason", "phase")) {
      if (detail.path(field).isValueNode()) {
        return detail.path(field).asText();
      }
    }
    var parts = new ArrayList<String>();
    for (var entry : detail.properties()) {
      if (entry.getValue().isValueNode() && parts.size() < 3) {
        parts.add(entry.getKey() + " " + entry.getValue().asText());
      }
    }
    return String.join(", ", parts);
  }
}
