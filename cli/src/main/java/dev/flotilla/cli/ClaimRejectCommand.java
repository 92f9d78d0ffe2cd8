package dev.flotilla.cli;

import dev.flotilla.claim.PendingClaim;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code flotilla claim reject ID}: the claim moved to {@code rejected/} on the claims branch. */
@Command(name = "reject", mixinStandardHelpOptions = true, description = "Refuse claim ID; the device is told so.")
final class ClaimRejectCommand extends EditById {
  @Override
  public Integer call() throws IOException {
    var claim = ClaimsCommand.find(ClaimsCommand.waiting(checkout), id, "reject");
    List<FileChange> changes = List.of(FileChange.delete(PendingClaim.pendingPath(id)),
        FileChange.put(PendingClaim.rejectedPath(id), claim.toYaml()));
    var message = "claim " + id + ": reject device " + claim.tenant() + "/" + claim.device();
    try (var repository = checkout.open()) {
      var commits = new FleetCommits(repository, CheckoutOptions.FALLBACK);
      var origin = ClaimsCommand.origin(repository);
      if (origin != null) {
        commits.push(origin, PendingClaim.BRANCH, tip -> new FleetCommits.Proposal(changes, message));
      } else {
        var ref = "refs/heads/" + PendingClaim.BRANCH;
        var tip = repository.resolve(ref);
        commits.updateRef(ref, tip, commits.commit(tip, changes, message));
      }
    }
    Output.of(spec).line("rejected claim '" + id + "'; the device stops asking");
    return Flotilla.OK;
  }
}
