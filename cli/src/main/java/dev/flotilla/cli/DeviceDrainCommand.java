package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.git.CommitTree;
import dev.flotilla.output.Output;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla device drain ID|-l SELECTOR}: takes devices out of service. Each Device file gets {@code cordoned:
 * true} (no rollout wave picks it) and {@code drain: true} (its agent runs each app's drain hook and reports
 * Drained), edited with {@link YamlEdit} and committed as one validated {@link FleetEdit}. {@code uncordon} reverses
 * both.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
    description = "Cordon devices and have their agents run each app's drain hook; 'uncordon' reverses it.")
final class DeviceDrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The device to drain.")
  String id;

  @Option(names = {"-l", "--selector"}, paramLabel = "K=V,K!=V", description = "Drain every device these labels "
      + "(do not) match.")
  String selector;

  @Override
  public Integer call() throws IOException {
    if ((id == null) == (selector == null)) {
      throw new UserException(Flotilla.USAGE, "drain: name one device ID or give -l SELECTOR");
    }
    var head = checkout.head();
    var changes = new TreeMap<String, String>();
    for (var path : paths(head)) {
      var before = checkout.read(head, path).orElseThrow();
      var after = YamlEdit.of(before).set("spec.cordoned", true).set("spec.drain", true).text();
      if (!after.equals(before)) {
        changes.put(path, after);
      }
    }
    var what = id != null ? "device '" + id + "'" : "devices matching '" + selector + "'";
    if (changes.isEmpty()) {
      Output.of(spec).line(what + (id != null ? " is" : " are") + " already drained; nothing to commit");
      return Flotilla.OK;
    }
    var where = checkout.commit(new FleetEdit("drain " + what, changes), "drain " + what);
    Output.of(spec).line("drained " + changes.size() + " device(s) (" + what + "); " + where);
    return Flotilla.OK;
  }

  /** The Device files to edit: the one named, or every one whose labels match the selector (none is an error). */
  private Iterable<String> paths(CommitTree head) throws IOException {
    if (id != null) {
      return java.util.List.of(CheckoutOptions.find(head, "devices", id, "device"));
    }
    var match = DevicesCommand.selector(selector);
    var reader = new YamlReader();
    var paths = new java.util.ArrayList<String>();
    for (var path : head.paths()) {
      var parts = path.split("/");
      if (parts.length == 4 && parts[2].equals("devices")) {
        try {
          var labels = new TreeMap<String, String>();
          reader.read(head.read(path, YamlReader.MAX_BYTES)).path("metadata").path("labels").properties()
              .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
          if (DevicesCommand.matches(match, labels)) {
            paths.add(path);
          }
        } catch (dev.flotilla.schema.DocumentException e) {
          throw new UserException(Flotilla.FAILURE, "read '" + path + "': " + e.getMessage()
              + "; run 'flotilla validate'");
        }
      }
    }
    if (paths.isEmpty()) {
      throw new UserException(Flotilla.FAILURE, "drain: no device matches '" + selector + "'; list them "
          + "with 'flotilla devices -l " + selector + "'");
    }
    return paths;
  }
}
