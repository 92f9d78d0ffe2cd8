package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.cli.server.ServerOption;
import dev.flotilla.history.BranchHistory;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla history}: the fleet's transitions, newest first, from a running reconciler ({@code --server},
 * {@code GET /v1/history}) or, offline, from the status branch of a fleet repo checkout ({@code --repo}; lines
 * whose chain does not hold are named on stderr and not shown).
 */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Show history events, newest first: receipts, offline/online, rollout decisions, claims, commits.")
final class HistoryCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Mixin
  ServerOption server;

  @Mixin
  OutputFormat output;

  @Option(names = "--device", paramLabel = "ID")
  String device;

  @Option(names = "--tenant", paramLabel = "T")
  String tenant;

  @Option(names = "--kind", paramLabel = "K", split = ",", description = "receipt, offline, online, rollout, claim, "
      + "approval, commit-accepted, commit-refused (comma-separated).")
  List<String> kinds = new ArrayList<>();

  @Option(names = "--since", paramLabel = "TIME", description = "RFC 3339 time or an age such as 2h or 7d.")
  String since;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events "
      + "(default: ${DEFAULT-VALUE}).")
  int limit;

  /** One event as printed. */
  record Event(Instant at, String tenant, String device, String kind, String commit, JsonNode detail) {}

  @Override
  public Integer call() throws IOException {
    var format = output.format();
    var query = query(Instant.now());
    var client = server.client();
    var events = client != null ? fromServer(client, query) : fromRepo(query);
    Output.of(spec).value(format, events, out -> text(out, events));
    return Flotilla.OK;
  }

  private HistoryQuery query(Instant now) {
    var selected = EnumSet.noneOf(EventKind.class);
    for (var name : kinds) {
      var kind = EventKind.fromWireName(name);
      if (kind == null) {
        throw new UserException(Flotilla.USAGE, "read history: unknown --kind '" + name + "'; use "
            + String.join(", ", List.of(EventKind.values()).stream().map(EventKind::wireName).toList()));
      }
      selected.add(kind);
    }
    if (limit < 1) {
      throw new UserException(Flotilla.USAGE, "read history: --limit " + limit + " is not positive");
    }
    return new HistoryQuery(tenant, device, selected, since == null ? null : since(since, now), null, limit);
  }

  static Instant since(String text, Instant now) {
    try {
      return Character.isDigit(text.charAt(0)) && text.contains("T") ? Instant.parse(text)
          : now.minus(Durations.parse(text));
    } catch (RuntimeException e) {
      throw new UserException(Flotilla.USAGE, "read history: --since '" + text + "' is neither an RFC 3339 "
          + "time (2026-12-07T10:00:00Z) nor an age (2h, 7d)");
    }
  }

  private static List<Event> fromServer(dev.flotilla.cli.server.ReconcilerClient client, HistoryQuery query)
      throws IOException {
    var params = new LinkedHashMap<String, String>();
    params.put("device", query.device());
    params.put("tenant", query.tenant());
    params.put("kind", query.kinds().isEmpty() ? null
        : String.join(",", query.kinds().stream().map(EventKind::wireName).sorted().toList()));
    params.put("since", query.since() == null ? null : query.since().toString());
    params.put("limit", Integer.toString(query.limit()));
    var search = new StringBuilder();
    params.forEach((k, v) -> {
      if (v != null) {
        search.append(search.isEmpty() ? "?" : "&").append(k).append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    var events = new ArrayList<Event>();
    for (var node : client.get("/v1/history" + search, "read history")) {
      events.add(new Event(Instant.parse(node.path("at").asText()), text(node, "tenant"), text(node, "device"),
          node.path("kind").asText(), text(node, "commit"), node.path("detail")));
    }
    return events;
  }

  private List<Event> fromRepo(HistoryQuery query) throws IOException {
    var result = BranchHistory.query(checkout.statusBranch(), query);
    var err = Output.errorsOf(spec);
    result.tampered().forEach(t -> err.line("flotilla: " + t + "; not shown"));
    return result.events().stream().map(e -> new Event(e.at(), e.tenant(), e.device(), e.kind().wireName(),
        e.commit(), (ObjectNode) e.detail())).toList();
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  /** One line per event: time, kind, tenant/device, short commit, and the event's message or its fields. */
  static void text(PrintWriter out, List<Event> events) {
    for (var e : events) {
      var who = (e.tenant() == null ? "-" : e.tenant()) + (e.device() == null ? "" : "/" + e.device());
      var commit = e.commit() == null ? "-" : e.commit().substring(0, Math.min(12, e.commit().length()));
      var summary = e.detail().hasNonNull("message") ? e.detail().get("message").asText() : e.detail().toString();
      out.printf("%-20s %-15s %-36s %-12s %s%n", e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
          e.kind(), who, commit, summary);
    }
  }
}
