package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.claim.DeviceFile;
import dev.flotilla.claim.Enrolment;
import dev.flotilla.claim.FleetView;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code flotilla claim approve ID}: the claim checked again as the reconciler would, then its Device file committed
 * once the fleet with it stays valid.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Commit the Device file of claim ID, after checking its token and identity again.")
final class ClaimApproveCommand extends EditById {
  @Override
  public Integer call() throws IOException {
    var pending = ClaimsCommand.waiting(checkout);
    var claim = ClaimsCommand.find(pending, id, "approve");
    var others = pending.values().stream().filter(c -> !c.id().equals(id)).toList();
    var decision = Enrolment.approve(FleetView.of(checkout.head(), others), claim, Instant.now());
    if (decision instanceof Enrolment.Refused refused) {
      throw new UserException(Flotilla.FAILURE, "approve "
          + refused.message().replaceFirst("^claim( request)?", "claim '" + id + "'"));
    }
    var device = ((Enrolment.Enrol) decision).claim();
    var edit = new FleetEdit("approve claim '" + id + "'",
        Map.of(DeviceFile.path(device), DeviceFile.text(device, Instant.now())));
    var where = checkout.commit(edit, "claim " + id + ": approve device " + claim.tenant() + "/" + claim.device());
    Output.of(spec).line("approved claim '" + id + "' as device '" + claim.device() + "' of tenant '"
        + claim.tenant() + "'; " + where);
    return Flotilla.OK;
  }
}
