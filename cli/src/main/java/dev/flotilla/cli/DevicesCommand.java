package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.cli.server.LiveStatus;
import dev.flotilla.cli.server.ServerOption;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla devices}: every device of the fleet repo's HEAD, filtered by tenant and labels; with
 * {@code --server}, joined with what that reconciler knows (bundle version, last report, compliance), else offline.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List devices: tenant, labels, channel, cordoned, claimed and, with --server, bundle version, "
        + "last seen and compliance; filter by tenant and label selector.")
final class DevicesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Option(names = "--tenant", paramLabel = "T")
  String tenant;

  @Option(names = {"-l", "--selector"}, paramLabel = "K=V,K!=V", description = "Labels that must (not) match.")
  String selector;

  @Mixin
  OutputFormat output;

  @Mixin
  ServerOption server;

  /**
   * One row of the list; {@code live} is null without {@code --server} or when the reconciler knows nothing; {@code
   * drain} whether the Device file asks its agent to drain ({@code flotilla device drain}).
   */
  record Row(String name, String tenant, Map<String, String> labels, String channel, boolean cordoned,
      boolean claimed, String claimToken, LiveStatus live, boolean drain) {}

  @Override
  public Integer call() throws IOException {
    output.format();
    var rows = rows();
    var client = server.client();
    if (client != null) {
      var live = LiveStatus.fetch(client);
      rows = rows.stream().map(r -> new Row(r.name(), r.tenant(), r.labels(), r.channel(), r.cordoned(), r.claimed(),
          r.claimToken(), live.get(r.name()), r.drain())).toList();
    }
    var rowsShown = rows;
    Output.of(spec).value(output.format(), rows, out -> text(out, rowsShown));
    return Flotilla.OK;
  }

  private static void text(java.io.PrintWriter out, List<Row> rows) {
    var format = "%-28s %-16s %-8s %-9s %-8s %-12s %-10s %-12s %s%n";
    out.printf(format, "NAME", "TENANT", "CHANNEL", "CORDONED", "CLAIMED", "VERSION", "LAST SEEN", "COMPLIANT",
        "LABELS");
    var now = Instant.now();
    for (var r : rows) {
      var live = r.live();
      out.printf(format, r.name(), r.tenant(), r.channel(), r.drain() ? "drain" : r.cordoned() ? "yes" : "-",
          r.claimed() ? "yes" : "-",
          live == null ? "-" : live.version(), live == null ? "-" : live.lastSeen(now),
          live == null ? "-" : live.compliance(), labels(r.labels()));
    }
  }

  private List<Row> rows() throws IOException {
    var head = checkout.head();
    var match = selector(selector);
    var rows = new ArrayList<Row>();
    var reader = new YamlReader();
    for (var path : head.paths()) {
      var parts = path.split("/");
      if (parts.length != 4 || !parts[2].equals("devices") || (tenant != null && !tenant.equals(parts[1]))) {
        continue;
      }
      try {
        var node = reader.read(head.read(path, YamlReader.MAX_BYTES));
        var labels = new TreeMap<String, String>();
        node.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        var spec = node.path("spec");
        if (matches(match, labels)) {
          rows.add(new Row(node.path("metadata").path("name").asText(), parts[1], labels, spec.path("channel").asText(),
              spec.path("cordoned").asBoolean(false), spec.hasNonNull("publicKey") && spec.has("identity"),
              spec.path("identity").path("claimToken").asText(null), null, spec.path("drain").asBoolean(false)));
        }
      } catch (dev.flotilla.schema.DocumentException e) {
        throw new UserException(Flotilla.FAILURE, "read '" + path + "': " + e.getMessage()
            + "; run 'flotilla validate'");
      }
    }
    return rows;
  }

  /** Whether {@code labels} satisfy a parsed {@link #selector}. */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().startsWith("!")
        ? !e.getValue().substring(1).equals(labels.get(e.getKey())) : e.getValue().equals(labels.get(e.getKey())));
  }

  /** {@code a=b,c!=d} as key → value, a value starting with '!' meaning "not". */
  static Map<String, String> selector(String text) {
    var result = new LinkedHashMap<String, String>();
    if (text == null || text.isBlank()) {
      return result;
    }
    for (var part : text.split(",")) {
      var not = part.indexOf("!=");
      var eq = part.indexOf('=');
      if (eq <= 0) {
        throw new UserException(Flotilla.USAGE, "parse selector '" + text + "': '" + part
            + "' is not K=V or K!=V");
      }
      if (not > 0) {
        result.put(part.substring(0, not).strip(), "!" + part.substring(not + 2).strip());
      } else {
        result.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      }
    }
    return result;
  }

  private static String labels(Map<String, String> labels) {
    return labels.isEmpty() ? "-" : String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .toList());
  }
}
