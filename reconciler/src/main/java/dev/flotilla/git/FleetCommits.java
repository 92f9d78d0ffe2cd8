package dev.flotilla.git;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes commits without a working tree (a bare mirror is enough) and pushes them with Git's compare-and-swap:
 * a push names the commit it expects the remote branch to be at, and is rejected if anyone moved it since. On a
 * rejection {@link #push} fetches the new tip, asks the {@link Edit} again — so it re-checks whatever it decided
 * from (uses left on a token, a rollout's wave) — and retries. Not thread-safe: serialise pushes per repository.
 */
public final class FleetCommits {
  /** How often {@link #push} retries after the remote branch moved under it. */
  public static final int MAX_ATTEMPTS = 10;
  private final Repository repository;
  private final PersonIdent author;
  private final GitTransport transports;

  public FleetCommits(Repository repository, PersonIdent author) {
    this(repository, author, new GitTransport(GitAccess.NONE));
  }

  /** Fetching and pushing through {@code transports} (its credentials). */
  public FleetCommits(Repository repository, PersonIdent author, GitTransport transports) {
    this.repository = repository;
    this.author = author;
    this.transports = transports;
  }

  /** What to commit on top of a tip; {@link #NOTHING} when there is nothing (any more) to do. */
  public record Proposal(List<FileChange> changes, String message) {
    public static final Proposal NOTHING = new Proposal(List.of(), "");

    public Proposal {
      changes = List.copyOf(changes);
    }
  }

  /** Decides the changes from the branch's current tip: {@code tip} is null when the branch does not exist yet. */
  @FunctionalInterface
  public interface Edit {
    Proposal propose(CommitTree tip) throws IOException;
  }

  /** A push's result: the commit now at the branch (null if it has none), whether we made it, and the attempts. */
  public record Pushed(String commit, boolean created, int attempts, Proposal proposal) {}

  /**
   * A commit whose tree is {@code parent}'s with {@code changes} applied (a root commit when {@code parent} is
   * null). Moves no ref. Returns {@code parent} itself when the changes leave the tree as it was.
   */
  public ObjectId commit(ObjectId parent, List<FileChange> changes, String message) throws IOException {
    try (var inserter = repository.newObjectInserter(); var walk = new RevWalk(repository)) {
      var entries = parent == null ? new HashMap<String, DirCacheEntry>() : entries(walk.parseCommit(parent));
      for (var change : changes) {
        switch (change) {
          case FileChange.Put put -> {
            var entry = new DirCacheEntry(put.path());
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, put.content()));
            entries.put(put.path(), entry);
          }
          case FileChange.Delete delete -> entries.remove(delete.path());
        }
      }
      var index = DirCache.newInCore();
      var builder = index.builder();
      entries.keySet().stream().sorted(FleetCommits::gitOrder).forEach(p -> builder.add(entries.get(p)));
      builder.finish();
      var tree = index.writeTree(inserter);
      if (parent != null && walk.parseCommit(parent).getTree().equals(tree)) {
        return parent;
      }
      var commit = new CommitBuilder();
      commit.setTreeId(tree);
      if (parent != null) {
        commit.setParentId(parent);
      }
      var who = new PersonIdent(author, java.time.Instant.now());
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message.endsWith("\n") ? message : message + "\n");
      var id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /**
   * Moves {@code ref} in this repository from {@code expected} (null: the ref must not exist) to {@code id}, or
   * throws if someone else moved it first.
   */
  public void updateRef(String ref, ObjectId expected, ObjectId id) throws IOException {
    var update = repository.updateRef(ref);
    update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
    update.setNewObjectId(id);
    update.setRefLogMessage("flotilla: commit", false);
    var result = update.update();
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD
        && result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
      throw new IOException("update '" + ref + "': " + result.name().toLowerCase() + "; it moved, try again");
    }
  }

  /**
   * Commits what {@code edit} proposes on top of {@code branch} of {@code url} and pushes it, retrying from the new
   * tip when the push is rejected because the branch moved. The tracking ref {@code refs/remotes/origin/<branch>}
   * is kept at what the remote has. Throws when the remote cannot be reached or {@link #MAX_ATTEMPTS} pushes lost.
   */
  public Pushed push(String url, String branch, Edit edit) throws IOException {
    var tracking = "refs/remotes/origin/" + branch;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      var tip = repository.resolve(tracking);
      var proposal = edit.propose(tip == null ? null : tree(tip));
      if (proposal.changes().isEmpty()) {
        return new Pushed(tip == null ? null : tip.name(), false, attempt, proposal);
      }
      var id = commit(tip, proposal.changes(), proposal.message());
      if (id.equals(tip)) {
        return new Pushed(tip.name(), false, attempt, proposal);
      }
      var status = pushOnce(url, branch, tip, id);
      if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        try {
          updateRef(tracking, tip, id);
        } catch (IOException e) {
          // a concurrent fetch moved the tracking ref to what the remote has; that is at least our commit
        }
        return new Pushed(id.name(), true, attempt, proposal);
      }
      try {
        fetch(url, branch);
      } catch (IOException e) {
        // a concurrent fetch of the same repository holds the ref lock; the next attempt reads what it got
      }
      backOff(attempt);
    }
    throw new IOException("push to '" + transports.redact(url) + "' branch '" + branch + "': the branch moved "
        + MAX_ATTEMPTS + " times while committing; try again");
  }

  /**
   * Waits a random 0..{@code 20 × attempt} ms after a lost push: writers that lost together would otherwise retry in
   * step and keep losing to each other (seen with two reconcilers writing history, and concurrent claims).
   */
  private static void backOff(int attempt) throws IOException {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20L * attempt + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("push interrupted while waiting to retry");
    }
  }

  /** Fetches {@code branch} into its tracking ref; a branch the remote does not have leaves the ref unset. */
  public void fetch(String url, String branch) throws IOException {
    try (var transport = transports.open(repository, url)) {
      try (var connection = transport.openFetch()) {
        if (connection.getRef("refs/heads/" + branch) == null) {
          return;
        }
      }
      transport.fetch(NullProgressMonitor.INSTANCE,
          List.of(new RefSpec("+refs/heads/" + branch + ":refs/remotes/origin/" + branch)));
    } catch (TransportException e) {
      throw new IOException("fetch '" + transports.redact(url) + "': " + transports.redact(FleetRepo.cause(e)), e);
    }
  }

  /** The files at the tracking ref of {@code branch} ({@code refs/remotes/origin/<branch>}), or null if unset. */
  public CommitTree trackingTip(String branch) throws IOException {
    var tip = repository.resolve("refs/remotes/origin/" + branch);
    return tip == null ? null : tree(tip);
  }

  public CommitTree tree(ObjectId commit) throws IOException {
    try (var walk = new RevWalk(repository)) {
      return CommitTree.of(repository, walk.parseCommit(commit));
    }
  }

  private RemoteRefUpdate.Status pushOnce(String url, String branch, ObjectId expected, ObjectId id)
      throws IOException {
    var ref = "refs/heads/" + branch;
    try (var transport = transports.open(repository, url)) {
      var update = new RemoteRefUpdate(repository, null, id, ref, false, null,
          expected == null ? ObjectId.zeroId() : expected);
      var result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
      return result.getRemoteUpdate(ref).getStatus();
    } catch (TransportException e) {
      throw new IOException("push to '" + transports.redact(url) + "': " + transports.redact(FleetRepo.cause(e)), e);
    }
  }

  private Map<String, DirCacheEntry> entries(org.eclipse.jgit.revwalk.RevCommit commit) throws IOException {
    var entries = new HashMap<String, DirCacheEntry>();
    try (var walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        var entry = new DirCacheEntry(walk.getPathString());
        entry.setFileMode(walk.getFileMode(0));
        entry.setObjectId(walk.getObjectId(0));
        entries.put(walk.getPathString(), entry);
      }
    }
    return entries;
  }

  /** DirCache order: byte-wise on the path. */
  private static int gitOrder(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
