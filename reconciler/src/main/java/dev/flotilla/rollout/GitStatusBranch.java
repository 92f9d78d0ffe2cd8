package dev.flotilla.rollout;

import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.git.GitAccess;
import dev.flotilla.git.GitTransport;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The status branch ({@value #BRANCH}) of the fleet repo at {@code url}, read and written through the
 * reconciler's mirror with {@link FleetCommits}: no working tree, and a push that names the commit it expects,
 * so that of two reconcilers the one that pushes second is refused and reads again.
 */
public final class GitStatusBranch implements StatusBranch {
  public static final String BRANCH = "flotilla-status";
  private static final int MAX_FILE = 16 << 20;
  private final Repository repository;
  private final FleetCommits commits;
  private final String url;

  public GitStatusBranch(Repository repository, String url) {
    this(repository, url, new GitTransport(GitAccess.NONE));
  }

  /** Reaching {@code url} through {@code transports} (its credentials). */
  public GitStatusBranch(Repository repository, String url, GitTransport transports) {
    this.repository = repository;
    this.url = url;
    this.commits = new FleetCommits(repository, new PersonIdent("Flotilla reconciler", "reconciler@flotilla.dev"),
        transports);
  }

  @Override
  public Snapshot read() throws IOException {
    commits.fetch(url, BRANCH);
    return snapshot(repository, repository.resolve(tracking()));
  }

  /**
   * The rollout states of a checkout's status branch, by {@code tenant/name}, without fetching: the local branch, else
   * the one fetched from origin; empty when the checkout has neither.
   */
  public static Map<String, RolloutState> readLocal(Repository repository) throws IOException {
    var tip = repository.resolve("refs/heads/" + BRANCH);
    if (tip == null) {
      tip = repository.resolve(tracking());
    }
    return RolloutStatusFile.readAll(snapshot(repository, tip).files());
  }

  private static Snapshot snapshot(Repository repository, ObjectId tip) throws IOException {
    var files = new TreeMap<String, byte[]>();
    if (tip != null) {
      CommitTree tree;
      try (var walk = new RevWalk(repository)) {
        tree = CommitTree.of(repository, walk.parseCommit(tip));
      }
      for (var path : tree.paths()) {
        if (path.startsWith(RolloutStatusFile.DIR)) {
          files.put(path, tree.read(path, MAX_FILE));
        }
      }
    }
    return new Snapshot(tip == null ? null : tip.name(), files);
  }

  @Override
  public String commit(String base, Map<String, byte[]> files, String message) throws IOException {
    var changes = files.entrySet().stream()
        .map(e -> (FileChange) new FileChange.Put(e.getKey(), e.getValue())).toList();
    boolean[] moved = {false};
    var pushed = commits.push(url, BRANCH, tip -> {
      var at = repository.resolve(tracking());
      if (!Objects.equals(at == null ? null : at.name(), base)) {
        moved[0] = true;
        return FleetCommits.Proposal.NOTHING;
      }
      return new FleetCommits.Proposal(List.copyOf(changes), message);
    });
    return moved[0] ? null : pushed.commit();
  }

  private static String tracking() {
    return "refs/remotes/origin/" + BRANCH;
  }
}
