package dev.flotilla.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.schema.YamlReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla device describe ID}: the Device file as {@code HEAD} has it, and where it is. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Print device ID's file and where it is; as json or yaml, its path and its fields.")
final class DeviceDescribeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Mixin
  OutputFormat output;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  /** What -o json|yaml prints. */
  record Described(String path, JsonNode file) {}

  @Override
  public Integer call() throws Exception {
    var format = output.format();
    var head = checkout.head();
    var path = RepoOption.find(head, "devices", id, "device");
    var text = checkout.read(head, path).orElseThrow();
    var file = format == OutputFormat.Format.TEXT ? null : new YamlReader().read(text.getBytes(UTF_8));
    Output.of(spec).value(format, new Described(path, file), out -> out.print("# " + path + "\n" + text));
    return Flotilla.OK;
  }
}
