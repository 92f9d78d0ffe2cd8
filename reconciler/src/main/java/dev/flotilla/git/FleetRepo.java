package dev.flotilla.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The fleet repo as the reconciler sees it: a bare mirror in its work directory, fetched from any Git URL (a path,
 * {@code file://}, {@code http(s)://}), or an existing local repository read in place. Commits are read from their
 * trees; nothing is ever checked out. Not thread-safe for {@link #fetch}; reads may run concurrently.
 */
public final class FleetRepo implements AutoCloseable {
  public static final String ROOT_PATH = "trust/root.json";
  private static final int MAX_ROOT_BYTES = 1 << 20;

  private final Repository repository;
  private final String url;
  private final String branch;
  private final GitTransport transports;

  private FleetRepo(Repository repository, String url, String branch, GitTransport transports) {
    this.repository = repository;
    this.url = url;
    this.branch = branch;
    this.transports = transports;
  }

  /** A mirror of {@code url} in {@code dir} (made on first use) that {@link #fetch} keeps up to date. */
  public static FleetRepo mirror(Path dir, String url, String branch) throws IOException {
    return mirror(dir, url, branch, new GitTransport(GitAccess.NONE));
  }

  /** As {@link #mirror(Path, String, String)}, fetching through {@code transports} (its credentials). */
  public static FleetRepo mirror(Path dir, String url, String branch, GitTransport transports) throws IOException {
    Files.createDirectories(dir);
    var repository = FileRepositoryBuilder.create(dir.toFile());
    if (!Files.exists(dir.resolve("config"))) {
      repository.create(true);
    }
    if (repository.getConfig().getBoolean("core", "trustfolderstat", true)) {
      // fetches and claim commits write packs from two threads; without this a reader may miss a new pack
      repository.getConfig().setBoolean("core", null, "trustfolderstat", false);
      repository.getConfig().save();
      repository.close();
      repository = FileRepositoryBuilder.create(dir.toFile());
    }
    return new FleetRepo(repository, url, branch, transports);
  }

  /** An existing repository (a working tree or a bare one), read in place; {@link #fetch} is not available. */
  public static FleetRepo local(Path dir) throws IOException {
    var builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      throw new IOException("open repository '" + dir + "': not a Git repository");
    }
    return new FleetRepo(builder.setMustExist(true).build(), null, null, null);
  }

  /** Fetches the branch and returns its newest commit. */
  public Revision fetch() throws IOException {
    var tracking = "refs/remotes/origin/" + branch;
    try (var git = new Git(repository)) {
      git.fetch().setRemote(url).setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + tracking))
          .setTransportConfigCallback(transports::configure).setForceUpdate(true).call();
    } catch (GitAPIException | RuntimeException e) {
      throw new IOException("fetch '" + transports.redact(url) + "': " + transports.redact(cause(e)), e);
    }
    if (repository.exactRef(tracking) == null) {
      throw new IOException("fetch '" + transports.redact(url) + "': no branch '" + branch + "'; push it, or pass --branch");
    }
    return resolve(tracking);
  }

  /** The commit {@code rev} names (a commit id, a branch, a tag, HEAD~1 …). */
  public Revision resolve(String rev) throws IOException {
    var id = repository.resolve(rev);
    if (id == null) {
      throw new IOException("resolve '" + rev + "': no such revision");
    }
    try (var walk = new RevWalk(repository)) {
      return revision(walk.parseCommit(id));
    }
  }

  public CommitTree tree(String commit) throws IOException {
    try (var walk = new RevWalk(repository)) {
      return CommitTree.of(repository, walk.parseCommit(repository.resolve(commit)));
    }
  }

  /**
   * Every distinct content {@code trust/root.json} had in the history of {@code commit}, oldest first, so that a
   * device several root versions behind can walk the rotations one by one.
   */
  public List<byte[]> rootHistory(String commit) throws IOException {
    var versions = new ArrayList<byte[]>();
    try (var git = new Git(repository)) {
      var log = git.log().add(repository.resolve(commit)).addPath(ROOT_PATH).call();
      for (var c : log) {
        try (var walk = TreeWalk.forPath(repository, ROOT_PATH, c.getTree())) {
          if (walk != null) {
            versions.addFirst(repository.open(walk.getObjectId(0)).getCachedBytes(MAX_ROOT_BYTES));
          }
        }
      }
    } catch (GitAPIException e) {
      throw new IOException("read the history of '" + ROOT_PATH + "': " + cause(e), e);
    }
    return versions;
  }

  public Repository repository() {
    return repository;
  }

  @Override
  public void close() {
    repository.close();
  }

  private static Revision revision(RevCommit commit) {
    return new Revision(commit.getName(), Instant.ofEpochSecond(commit.getCommitTime()), commit.getShortMessage());
  }

  /** The innermost cause's message, or its class name when it has none (JGit often wraps a bare exception). */
  static String cause(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    var message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message;
  }
}
