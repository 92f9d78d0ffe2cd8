package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Severity;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.git.Revision;
import dev.flotilla.model.Rollout;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.rollout.GitStatusBranch;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * An operator's local checkout of the fleet repo as the rollout commands use it: the fleet at {@code HEAD}
 * (validated; an invalid HEAD is a one-line error), the rollout states of the status branch if the checkout has
 * it (local or fetched from origin), and commits of edited files on the current branch or a new one.
 */
public final class FleetCheckout implements AutoCloseable {
  private final FleetRepo repo;
  public final Revision head;
  public final FleetIndex index;

  private FleetCheckout(FleetRepo repo, Revision head, FleetIndex index) {
    this.repo = repo;
    this.head = head;
    this.index = index;
  }

  public static FleetCheckout open(Path dir) {
    try {
      var repo = FleetRepo.local(dir);
      var head = repo.resolve("HEAD");
      var report = new FleetValidator(Clock.systemUTC()).validate(repo.tree(head.commit()));
      var errors = report.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
      if (!errors.isEmpty()) {
        repo.close();
        throw new UserException(ExitCodes.FAILURE, "read fleet at " + head.shortId() + ": " + errors.size()
            + " error(s), first: " + errors.getFirst() + "; run 'flotilla validate'");
      }
      return new FleetCheckout(repo, head, FleetIndex.of(report.snapshot()));
    } catch (IOException e) {
      throw new UserException(ExitCodes.FAILURE, "open fleet repo '" + dir + "': " + e.getMessage());
    }
  }

  /** The rollout named {@code name}, or a usage error listing the rollouts there are. */
  public Document<Rollout> rollout(String name) {
    var matches = index.snapshot().rollouts().stream()
        .filter(r -> name.equals(r.resource().getMetadata().getName())
            || name.equals(r.resource().getMetadata().getTenant() + "/" + r.resource().getMetadata().getName()))
        .toList();
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    var known = index.snapshot().rollouts().stream()
        .map(r -> r.resource().getMetadata().getTenant() + "/" + r.resource().getMetadata().getName()).toList();
    throw new UserException(ExitCodes.USAGE, matches.isEmpty()
        ? "find rollout '" + name + "': no such rollout; there are " + (known.isEmpty() ? "none" : String.join(", ", known))
        : "find rollout '" + name + "': several tenants have one; name it as TENANT/NAME");
  }

  /** The states on the status branch, by "tenant/name"; empty when the checkout has no status branch. */
  public Map<String, RolloutState> states() {
    try {
      return GitStatusBranch.readLocal(repo.repository());
    } catch (IOException e) {
      throw new UserException(ExitCodes.FAILURE, "read branch '" + GitStatusBranch.BRANCH + "': "
          + e.getMessage() + "; fetch it with 'git fetch origin " + GitStatusBranch.BRANCH + "'");
    }
  }

  /** The text of {@code path} at HEAD. */
  public String read(String path) {
    try {
      return new String(repo.tree(head.commit()).read(path, 4 << 20), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException(ExitCodes.FAILURE, "read '" + path + "': " + e.getMessage());
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
