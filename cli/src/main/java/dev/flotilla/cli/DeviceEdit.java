package dev.flotilla.cli;

import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@code flotilla device cordon|uncordon} share: one device's file, read from {@code HEAD} and edited with
 * {@link YamlEdit} so every untouched line stays as it was, committed as one edit (or on a branch with
 * {@code --branch}).
 */
abstract class DeviceEdit extends EditById {
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
