package dev.flotilla.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/history?device=D&tenant=T&kind=K[,K]&since=TIME&until=TIME&limit=N}: the events the history
 * holds, newest first, as a JSON array of {@code at, tenant, device, kind, commit, detail}. Times are RFC 3339;
 * {@code limit} defaults to {@value #DEFAULT_LIMIT} and is at most {@value #MAX_LIMIT}. Operators only; who may see
 * what is decided in {@link #authorized} alone.
 */
final class HistoryRoute {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;
  private static final java.util.Set<String> PARAMETERS = java.util.Set.of("device", "tenant", "kind", "since",
      "until", "limit");

  private HistoryRoute() {}

  static int handle(HttpExchange exchange, Callers callers, History history, ObjectMapper json) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    if (!authorized(exchange, callers)) {
      return Responses.send(exchange, 401, "read history: operator token required; send 'Authorization: Bearer "
          + "<operator token>'");
    }
    HistoryQuery query;
    try {
      query = query(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException | DateTimeException e) {
      return Responses.send(exchange, 400, "read history: " + e.getMessage());
    }
    return Responses.json(exchange, 200, json.writeValueAsBytes(events(history.query(query), json)));
  }

  /** Whether the caller may read the history: the one place access is decided for this route. */
  private static boolean authorized(HttpExchange exchange, Callers callers) {
    return callers.operator(exchange);
  }

  /** The query a request's query string asks for; throws IllegalArgumentException naming the bad parameter. */
  static HistoryQuery query(String raw) {
    var params = params(raw);
    var kinds = EnumSet.noneOf(EventKind.class);
    for (var name : params.getOrDefault("kind", "").split(",")) {
      if (!name.isBlank()) {
        var kind = EventKind.fromWireName(name.strip());
        if (kind == null) {
          throw new IllegalArgumentException("unknown kind '" + name.strip() + "'; use one of "
              + String.join(", ", List.of(EventKind.values()).stream().map(EventKind::wireName).toList()));
        }
        kinds.add(kind);
      }
    }
    int limit;
    try {
      limit = Integer.parseInt(params.getOrDefault("limit", Integer.toString(DEFAULT_LIMIT)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit '" + params.get("limit") + "' is not a number");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " is not between 1 and " + MAX_LIMIT);
    }
    return new HistoryQuery(params.get("tenant"), params.get("device"), kinds, time(params.get("since")),
        time(params.get("until")), limit);
  }

  /** {@code events} as the JSON array the route answers with. */
  static ArrayNode events(List<HistoryEvent> events, ObjectMapper json) {
    var array = json.createArrayNode();
    for (var event : events) {
      array.addObject().put("at", event.at().toString()).put("tenant", event.tenant()).put("device", event.device())
          .put("kind", event.kind().wireName()).put("commit", event.commit()).set("detail", event.detail());
    }
    return array;
  }

  private static Instant time(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static Map<String, String> params(String raw) {
    var params = new HashMap<String, String>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (var pair : raw.split("&")) {
      var eq = pair.indexOf('=');
      var key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      var value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (!PARAMETERS.contains(key)) {
        throw new IllegalArgumentException("unknown parameter '" + key + "'; use " + String.join(", ",
            new java.util.TreeSet<>(PARAMETERS)));
      }
      if (params.put(key, value) != null) {
        throw new IllegalArgumentException("parameter '" + key + "' given twice");
      }
    }
    return params;
  }
}
