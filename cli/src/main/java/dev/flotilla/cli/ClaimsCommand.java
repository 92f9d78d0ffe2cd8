package dev.flotilla.cli;

import dev.flotilla.claim.DeviceFile;
import dev.flotilla.claim.Enrolment;
import dev.flotilla.claim.FleetView;
import dev.flotilla.claim.PendingClaim;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla claim list|approve|reject}. Pending claims live on the fleet repo's {@code claims} branch, where
 * the reconciler commits them: read from {@code origin} when the checkout has one (fetched first), else from the
 * checkout's own {@code claims} branch. Approving commits the Device file like any other edit (current branch, or
 * {@code --branch} for a pull request); rejecting commits on the claims branch and pushes it to {@code origin}.
 */
@Command(name = "claim", mixinStandardHelpOptions = true, description = "List, approve and reject pending claims.",
    subcommands = {ClaimsCommand.ListClaims.class, ClaimsCommand.Approve.class, ClaimsCommand.Reject.class})
final class ClaimsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Show claims waiting for approval.")
  static final class ListClaims implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOption checkout;

    @Mixin
    OutputFormat output;

    @Override
    public Integer call() throws IOException {
      var format = output.format();
      var pending = waiting(checkout);
      Output.of(spec).value(format, List.copyOf(pending.values()), out -> {
        if (pending.isEmpty()) {
          out.println("no pending claims");
          return;
        }
        out.printf("%-22s %-16s %-28s %-20s %-24s %s%n", "ID", "TENANT", "DEVICE", "TOKEN", "HOST", "REQUESTED");
        for (var c : pending.values()) {
          out.printf("%-22s %-16s %-28s %-20s %-24s %s%n", c.id(), c.tenant(), c.device(), c.token(),
              c.hostname() == null ? "-" : c.hostname(), c.requestedAt());
        }
      });
      return Flotilla.OK;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Commit the Device file of claim ID, after checking its token and identity again.")
  static final class Approve extends EditById {
    @Override
    public Integer call() throws IOException {
      var pending = waiting(checkout);
      var claim = find(pending, id, "approve");
      var others = pending.values().stream().filter(c -> !c.id().equals(id)).toList();
      var decision = Enrolment.approve(FleetView.of(checkout.head(), others), claim, Instant.now());
      if (decision instanceof Enrolment.Refused refused) {
        throw new Flotilla.UserException(Flotilla.FAILURE, "approve "
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

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Refuse claim ID; the device is told so.")
  static final class Reject extends EditById {
    @Override
    public Integer call() throws IOException {
      var claim = find(waiting(checkout), id, "reject");
      List<FileChange> changes = List.of(FileChange.delete(PendingClaim.pendingPath(id)),
          FileChange.put(PendingClaim.rejectedPath(id), claim.toYaml()));
      var message = "claim " + id + ": reject device " + claim.tenant() + "/" + claim.device();
      try (var repository = checkout.open()) {
        var commits = new FleetCommits(repository, CheckoutOptions.FALLBACK);
        var origin = origin(repository);
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

  private static PendingClaim find(Map<String, PendingClaim> pending, String id, String verb) {
    var claim = pending.get(id);
    if (claim == null) {
      throw new Flotilla.UserException(Flotilla.FAILURE, verb + " claim '" + id
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

  private static String origin(Repository repository) {
    return repository.getConfig().getString("remote", "origin", "url");
  }
}
