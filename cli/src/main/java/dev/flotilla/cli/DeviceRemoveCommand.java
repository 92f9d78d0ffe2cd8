package dev.flotilla.cli;

import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.git.FileChange;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code flotilla device remove ID}: the Device file deleted; its key is refused once the commit is served. */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = "Delete device ID's file: once the reconciler serves the commit, its key is refused.")
final class DeviceRemoveCommand extends EditById {
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
