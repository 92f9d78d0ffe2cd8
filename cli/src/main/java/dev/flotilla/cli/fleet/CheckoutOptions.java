package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.git.CheckoutCommits;
import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Option;

/**
 * The {@code --repo DIR} and {@code --branch NAME} options of the commands that edit the fleet repo, and what they
 * do: read files as of {@code HEAD}, commit the edits on the current branch, or on a new branch for a pull request.
 */
public final class CheckoutOptions {
  public static final PersonIdent FALLBACK = new PersonIdent("flotilla", "flotilla@localhost");

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
      description = "The fleet repo checkout to commit in (default: here).")
  public Path repo;

  @Option(names = "--branch", paramLabel = "NAME",
      description = "Commit on a new branch NAME (for a pull request) instead of the current branch.")
  public String branch;

  /** The files of HEAD. */
  public CommitTree head() throws IOException {
    try (var repository = open()) {
      return new CheckoutCommits(repository, FALLBACK).head();
    }
  }

  public Optional<String> read(CommitTree tree, String path) throws IOException {
    return tree.paths().contains(path)
        ? Optional.of(new String(tree.read(path, 4 << 20), StandardCharsets.UTF_8)) : Optional.empty();
  }

  /**
   * Commits {@code changes}; returns a one-line description of where they went. A commit the checkout refuses
   * (a branch that exists, a detached HEAD, uncommitted edits) is a {@link UserException} with the fix.
   */
  public String commit(List<FileChange> changes, String message) throws IOException {
    try (var repository = open()) {
      var commits = new CheckoutCommits(repository, CheckoutCommits.author(repository, FALLBACK));
      String id;
      try {
        id = commits.commit(changes, message, branch);
      } catch (IOException e) {
        throw new UserException(ExitCodes.FAILURE, e.getMessage());
      }
      return "committed " + id.substring(0, 12) + (branch == null ? " on " + repository.getBranch()
          : " on new branch '" + branch + "'; push it and open a pull request");
    }
  }

  /** Commits {@code files} (path → new text); returns where they went, as {@link #commit(List, String)} does. */
  public String commit(Map<String, String> files, String message) throws IOException {
    return commit(files.entrySet().stream().map(e -> (FileChange) FileChange.put(e.getKey(), e.getValue())).toList(),
        message);
  }

  /**
   * Commits the files of {@code edit} as {@link #commit(Map, String)} does, once the fleet at HEAD with them has no
   * error that HEAD has not; otherwise throws what {@link FleetEdit#refuseNewErrors} does and commits nothing.
   */
  public String commit(FleetEdit edit, String message) throws IOException {
    edit.refuseNewErrors(head());
    return commit(edit.files(), message);
  }

  public org.eclipse.jgit.lib.Repository open() throws IOException {
    var builder = new FileRepositoryBuilder().readEnvironment().findGitDir(repo.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      throw new UserException(ExitCodes.FAILURE, "open fleet repo '" + repo
          + "': not a Git checkout; pass --repo DIR, or run 'git init' and commit the fleet");
    }
    return builder.setMustExist(true).build();
  }

  /** The path of {@code kind} file {@code name} in whatever tenant has it, e.g. {@code devices}, or a clear error. */
  public static String find(CommitTree tree, String folder, String name, String what) {
    var suffix = "/" + folder + "/" + name + ".yaml";
    return tree.paths().stream().filter(p -> p.startsWith("tenants/") && p.endsWith(suffix)
            && p.split("/").length == 4).findFirst()
        .orElseThrow(() -> new UserException(ExitCodes.FAILURE, "find " + what + " '" + name
            + "': no tenants/*" + suffix + " in HEAD; see 'flotilla devices' for names"));
  }
}
