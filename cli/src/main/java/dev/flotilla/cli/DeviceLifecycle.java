package dev.flotilla.cli;

import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.cli.fleet.CheckoutOptions;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.schema.YamlReader;
import dev.flotilla.git.FileChange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla device describe|cordon|uncordon|remove ID}: one device's file, read from {@code HEAD} and edited
 * with {@link YamlEdit} so every untouched line stays as it was, each edit one commit (or a branch with
 * {@code --branch}).
 */
final class DeviceLifecycle {
  private DeviceLifecycle() {}

  abstract static class OnDevice extends EditById {
    /** Edits the Device file with {@code edit} and commits it as {@code verb}. */
    Integer edit(String verb, UnaryOperator<YamlEdit> edit) throws IOException {
      var head = checkout.head();
      var path = CheckoutOptions.find(head, "devices", id, "device");
      var before = checkout.read(head, path).orElseThrow();
      var after = edit.apply(YamlEdit.of(before)).text();
      if (after.equals(before)) {
        Output.of(spec).line("device '" + id + "' is already " + verb + "ed; nothing to commit");
        return Flotilla.OK;
      }
      var where = checkout.commit(new FleetEdit(verb + " device '" + id + "'", Map.of(path, after)),
          "device " + id + ": " + verb);
      Output.of(spec).line(verb + "ed device '" + id + "'; " + where);
      return Flotilla.OK;
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Print device ID's file and where it is; as json or yaml, its path and its fields.")
  static final class Describe implements Callable<Integer> {
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

  @Command(name = "cordon", mixinStandardHelpOptions = true, description = "Keep rollouts away from device ID.")
  static final class Cordon extends OnDevice {
    @Override
    public Integer call() throws IOException {
      return edit("cordon", e -> e.set("spec.cordoned", true));
    }
  }

  @Command(name = "uncordon", mixinStandardHelpOptions = true, description = "Let rollouts reach device ID again.")
  static final class Uncordon extends OnDevice {
    @Override
    public Integer call() throws IOException {
      return edit("uncordon", e -> e.remove("spec.cordoned"));
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Delete device ID's file: once the reconciler serves the commit, its key is refused.")
  static final class Remove extends OnDevice {
    @Override
    public Integer call() throws IOException {
      var path = CheckoutOptions.find(checkout.head(), "devices", id, "device");
      var where = checkout.commit(new FleetEdit("remove device '" + id + "'", List.of(FileChange.delete(path))),
          "device " + id + ": remove");
      Output.of(spec).line("removed device '" + id + "'; " + where
          + "; its key stops working when the reconciler serves this commit");
      return Flotilla.OK;
    }
  }
}
