package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import java.io.IOException;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Option;

/**
 * The {@code --repo DIR} and {@code --branch NAME} options of the commands that edit the fleet repo, and what they
 * do: read files as of {@code HEAD} ({@link RepoOption}), commit the edits on the current branch, or on a new branch
 * for a pull request.
 */
public final class CheckoutOptions extends RepoOption {
  public static final PersonIdent FALLBACK = new PersonIdent("flotilla", "flotilla@localhost");

  @Option(names = "--branch", paramLabel = "NAME",
      description = "Commit on a new branch NAME (for a pull request) instead of the current branch.")
  public String branch;

  /**
   * Commits the changes of {@code edit} once the fleet at HEAD with them has no error that HEAD has not; otherwise
   * throws what {@link FleetEdit#refuseNewErrors} does and commits nothing. Returns a one-line description of where
   * they went. A commit the checkout refuses (a branch that exists, a detached HEAD, uncommitted edits) is a
   * {@link UserException} with the fix. Every command commits through here: none commits unchecked.
   */
  public String commit(FleetEdit edit, String message) throws IOException {
    edit.refuseNewErrors(head());
    try (var repository = open()) {
      var commits = new CheckoutCommits(repository, CheckoutCommits.author(repository, FALLBACK));
      String id;
      try {
        id = commits.commit(edit.changes(), message, branch);
      } catch (IOException e) {
        throw new UserException(ExitCodes.FAILURE, e.getMessage());
      }
      return "committed " + id.substring(0, 12) + (branch == null ? " on " + repository.getBranch()
          : " on new branch '" + branch + "'; push it and open a pull request");
    }
  }
}
