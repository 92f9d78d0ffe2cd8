package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
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

/** {@code flotilla devices}: every device of the fleet repo's HEAD, filtered by tenant and labels. */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List devices: tenant, labels, channel, cordoned, claimed; filter by tenant and label selector.")
final class DevicesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Option(names = "--tenant", paramLabel = "T")
  String tenant;

  @Option(names = {"-l", "--selector"}, paramLabel = "K=V,K!=V", description = "Labels that must (not) match.")
  String selector;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text, json or yaml.")
  String output;

  /** One row of the list. */
  record Row(String name, String tenant, Map<String, String> labels, String channel, boolean cordoned,
      boolean claimed, String claimToken) {}

  @Override
  public Integer call() throws IOException {
    var rows = rows();
    var out = spec.commandLine().getOut();
    switch (output) {
      case "json" -> out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
      case "yaml" -> out.print(new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .writeValueAsString(rows));
      case "text" -> {
        out.printf("%-28s %-16s %-8s %-9s %-8s %s%n", "NAME", "TENANT", "CHANNEL", "CORDONED", "CLAIMED", "LABELS");
        for (var r : rows) {
          out.printf("%-28s %-16s %-8s %-9s %-8s %s%n", r.name(), r.tenant(), r.channel(), r.cordoned() ? "yes" : "-",
              r.claimed() ? "yes" : "-", labels(r.labels()));
        }
      }
      default -> throw new Flotilla.UserException(Flotilla.USAGE, "list devices: unknown --output '" + output
          + "'; use text, json or yaml");
    }
    return Flotilla.OK;
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
        if (match.entrySet().stream().allMatch(e -> e.getValue().startsWith("!")
            ? !e.getValue().substring(1).equals(labels.get(e.getKey())) : e.getValue().equals(labels.get(e.getKey()))))  {
          rows.add(new Row(node.path("metadata").path("name").asText(), parts[1], labels, spec.path("channel").asText(),
              spec.path("cordoned").asBoolean(false), spec.hasNonNull("publicKey") && spec.has("identity"),
              spec.path("identity").path("claimToken").asText(null)));
        }
      } catch (dev.flotilla.schema.DocumentException e) {
        throw new Flotilla.UserException(Flotilla.FAILURE, "read '" + path + "': " + e.getMessage()
            + "; run 'flotilla validate'");
      }
    }
    return rows;
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
        throw new Flotilla.UserException(Flotilla.USAGE, "parse selector '" + text + "': '" + part
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
