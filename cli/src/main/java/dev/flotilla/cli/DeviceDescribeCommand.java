package dev.flotilla.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.cli.server.ServerOption;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.schema.YamlReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla device describe ID}: the Device file as {@code HEAD} has it (desired), where it is, and with
 * {@code --server} what the reconciler observed: the last report, failing resources and recent history.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Print device ID's file and where it is; with --server, its last report, failing resources and "
        + "recent history; as json or yaml, its path, its fields and what was observed.")
final class DeviceDescribeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Mixin
  OutputFormat output;

  @Mixin
  ServerOption server;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  /** What -o json|yaml prints; {@code observed} is null without {@code --server}. */
  record Described(String path, JsonNode file, JsonNode observed) {}

  @Override
  public Integer call() throws Exception {
    var format = output.format();
    var head = checkout.head();
    var path = RepoOption.find(head, "devices", id, "device");
    var text = checkout.read(head, path).orElseThrow();
    var file = format == OutputFormat.Format.TEXT ? null : new YamlReader().read(text.getBytes(UTF_8));
    var client = server.client();
    var observed = client == null ? null : client.get("/v1/devices/" + id, "describe device '" + id + "'");
    Output.of(spec).value(format, new Described(path, file, observed), out -> {
      out.print("# " + path + "\n" + text);
      if (observed != null) {
        DeviceObservedText.print(out, observed);
      }
    });
    return Flotilla.OK;
  }
}
