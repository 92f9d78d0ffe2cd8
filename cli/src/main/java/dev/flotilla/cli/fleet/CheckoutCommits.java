package dev.flotilla.cli.fleet;

import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * Commits edits in an operator's local checkout of the fleet repo, as the CLI does: either on the current branch
 * (the commit moves the branch, and the working tree and index are brought to it for the changed paths only), or
 * on a new branch for a pull request (the current branch, index and working tree are left alone). Edits are made
 * against the {@code HEAD} commit's files, so a changed path with uncommitted edits is refused rather than lost.
 */
public final class CheckoutCommits {
  private final Repository repository;
  private final FleetCommits commits;

  public CheckoutCommits(Repository repository, PersonIdent author) {
    this.repository = repository;
    this.commits = new FleetCommits(repository, author);
  }

  /** The author from the repository's {@code user.name}/{@code user.email}, or {@code fallback}. */
  public static PersonIdent author(Repository repository, PersonIdent fallback) {
    var config = repository.getConfig();
    var name = config.getString("user", null, "name");
    var email = config.getString("user", null, "email");
    return name == null ? fallback : new PersonIdent(name, email == null ? "" : email);
  }

  /** The files of {@code HEAD}, which edits start from. */
  public CommitTree head() throws IOException {
    var head = repository.resolve(Constants.HEAD);
    if (head == null) {
      throw new IOException("read HEAD of '" + repository.getDirectory() + "': the repository has no commit yet");
    }
    return commits.tree(head);
  }

  /**
   * Commits {@code changes} on top of {@code HEAD}: on {@code newBranch} when it is non-null (it must not exist),
   * otherwise on the current branch. Returns the new commit's id, or the old HEAD's when nothing changed.
   */
  public String commit(List<FileChange> changes, String message, String newBranch) throws IOException {
    var head = repository.resolve(Constants.HEAD);
    if (head == null) {
      throw new IOException("commit: the repository has no commit yet; commit the fleet first");
    }
    if (newBranch != null) {
      var ref = Constants.R_HEADS + newBranch;
      if (repository.exactRef(ref) != null) {
        throw new IOException("create branch '" + newBranch + "': it exists; pick another name");
      }
      var id = commits.commit(head, changes, message);
      commits.updateRef(ref, null, id);
      return id.name();
    }
    var branch = repository.getFullBranch();
    if (branch == null || !branch.startsWith(Constants.R_HEADS)) {
      throw new IOException("commit: HEAD is detached; check out a branch, or pass --branch NAME");
    }
    if (!repository.isBare()) {
      refuseUncommitted(changes);
    }
    var id = commits.commit(head, changes, message);
    if (id.equals(head)) {
      return head.name();
    }
    commits.updateRef(branch, head, id);
    if (!repository.isBare()) {
      syncWorkTree(changes);
    }
    return id.name();
  }

  private void refuseUncommitted(List<FileChange> changes) throws IOException {
    var tree = head();
    var paths = tree.paths();
    for (var change : changes) {
      var file = repository.getWorkTree().toPath().resolve(change.path());
      boolean inHead = paths.contains(change.path());
      boolean onDisk = Files.isRegularFile(file);
      boolean same = inHead == onDisk
          && (!inHead || Arrays.equals(Files.readAllBytes(file), tree.read(change.path(), Integer.MAX_VALUE - 8)));
      if (!same) {
        throw new IOException("edit '" + change.path() + "': it has uncommitted changes; commit or stash them, "
            + "or pass --branch NAME");
      }
    }
  }

  private void syncWorkTree(List<FileChange> changes) throws IOException {
    Path root = repository.getWorkTree().toPath();
    try (var git = new Git(repository)) {
      for (var change : changes) {
        var file = root.resolve(change.path());
        switch (change) {
          case FileChange.Put put -> {
            Files.createDirectories(file.getParent());
            Files.write(file, put.content());
            git.add().addFilepattern(put.path()).call();
          }
          case FileChange.Delete delete -> {
            Files.deleteIfExists(file);
            git.rm().setCached(true).addFilepattern(delete.path()).call();
          }
        }
      }
    } catch (GitAPIException e) {
      throw new IOException("update the index of '" + root + "': " + e.getMessage(), e);
    }
  }
}
