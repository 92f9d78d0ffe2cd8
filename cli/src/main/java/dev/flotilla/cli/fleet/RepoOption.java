package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.rollout.GitStatusBranch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Option;

/**
 * The {@code --repo DIR} option of the commands that read the fleet repo, and what they read: the files of
 * {@code HEAD}. Commands that also commit take {@link CheckoutOptions}, which adds {@code --branch}.
 */
public class RepoOption {
  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
      description = "The fleet repo checkout (default: here).")
  public Path repo;

  /** The files of HEAD. */
  public CommitTree head() throws IOException {
    try (var repository = open()) {
      return new CheckoutCommits(repository, CheckoutOptions.FALLBACK).head();
    }
  }

  /** The files of the checkout's status branch (the local one, else its remote-tracking copy); null without one. */
  public CommitTree statusBranch() throws IOException {
    try (var repository = open()) {
      var tip = repository.resolve("refs/heads/" + GitStatusBranch.BRANCH);
      if (tip == null) {
        tip = repository.resolve("refs/remotes/origin/" + GitStatusBranch.BRANCH);
      }
      return tip == null ? null : new FleetCommits(repository, CheckoutOptions.FALLBACK).tree(tip);
    }
  }

  public Optional<String> read(CommitTree tree, String path) throws IOException {
    return tree.paths().contains(path)
        ? Optional.of(new String(tree.read(path, 4 << 20), StandardCharsets.UTF_8)) : Optional.empty();
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
