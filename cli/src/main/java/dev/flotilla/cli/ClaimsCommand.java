package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.claim.FleetView;
import dev.flotilla.claim.PendingClaim;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FleetCommits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;

/**
 * {@code flotilla claim list|approve|reject}. Pending claims live on the fleet repo's {@code claims} branch, where
 * the reconciler commits them: read from {@code origin} when the checkout has one (fetched first), else from the
 * checkout's own {@code claims} branch. Approving commits the Device file like any other edit (current branch, or
 * {@code --branch} for a pull request); rejecting commits on the claims branch and pushes it to {@code origin}.
 */
@Command(name = "claim", mixinStandardHelpOptions = true, description = "List, approve and reject pending claims.",
    subcommands = {ClaimListCommand.class, ClaimApproveCommand.class, ClaimRejectCommand.class})
final class ClaimsCommand {
  private ClaimsCommand() {}

  static PendingClaim find(Map<String, PendingClaim> pending, String id, String verb) {
    var claim = pending.get(id);
    if (claim == null) {
      throw new UserException(Flotilla.FAILURE, verb + " claim '" + id
          + "': no such pending claim; see 'flotilla claim list'");
    }
    return claim;
  }

  /** Pending claims not yet enrolled in HEAD and not rejected, by id. */
  static Map<String, PendingClaim> waiting(RepoOption checkout) throws IOException {
    var head = checkout.head();
    var enrolled = FleetView.of(head, List.of());
    var result = new TreeMap<String, PendingClaim>();
    try (var repository = checkout.open()) {
      var tree = claimsTree(repository);
      if (tree == null) {
        return result;
      }
      var rejected = new ArrayList<String>();
      for (var path : tree.paths()) {
        if (path.startsWith("rejected/")) {
          rejected.add(path.substring("rejected/".length()).replace(".yaml", ""));
        }
      }
      for (var path : tree.paths()) {
        if (path.startsWith("pending/") && path.endsWith(".yaml")) {
          var claim = PendingClaim.parse(tree.read(path, 1 << 16));
          if (!rejected.contains(claim.id())
              && enrolled.holding(claim.identityHash(), PendingClaim.keyIdOf(claim.publicKey())) == null) {
            result.put(claim.id(), claim);
          }
        }
      }
    }
    return result;
  }

  private static CommitTree claimsTree(Repository repository) throws IOException {
    var commits = new FleetCommits(repository, CheckoutOptions.FALLBACK);
    var origin = origin(repository);
    if (origin != null) {
      commits.fetch(origin, PendingClaim.BRANCH);
      return commits.trackingTip(PendingClaim.BRANCH);
    }
    var local = repository.resolve("refs/heads/" + PendingClaim.BRANCH);
    return local == null ? null : commits.tree(local);
  }

  static String origin(Repository repository) {
    return repository.getConfig().getString("remote", "origin", "url");
  }
}
