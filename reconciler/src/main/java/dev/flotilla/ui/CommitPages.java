package dev.flotilla.ui;

import dev.flotilla.access.OperatorScope;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.ui.Views.CommitPage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The commit a history entry came from, read from the reconciler's mirror: its message, author, time and the
 * files it changed. A token scoped to tenants sees only its tenants' files and no message (a fleet-wide commit may
 * speak of any tenant). Empty when the mirror has no such commit. Reads only.
 */
final class CommitPages {
  private final BoardSource source;
  private final Pages pages;

  CommitPages(BoardSource source, Pages pages) {
    this.source = source;
    this.pages = pages;
  }

  Optional<CommitPage> commit(OperatorScope scope, String id) throws IOException {
    var repo = source.repo();
    ObjectId object;
    try {
      object = repo.resolve(id + "^{commit}");
    } catch (org.eclipse.jgit.errors.RevisionSyntaxException e) {
      return Optional.empty();
    }
    if (object == null) {
      return Optional.empty();
    }
    try (var walk = new RevWalk(repo)) {
      var commit = walk.parseCommit(object);
      var files = new ArrayList<String>();
      try (var tree = new TreeWalk(repo)) {
        tree.setRecursive(true);
        if (commit.getParentCount() > 0) {
          tree.addTree(walk.parseCommit(commit.getParent(0)).getTree());
        } else {
          tree.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
        }
        tree.addTree(commit.getTree());
        tree.setFilter(TreeFilter.ANY_DIFF);
        while (tree.next()) {
          if (scope.sees(tenantOf(tree.getPathString()))) {
            files.add(tree.getPathString());
          }
        }
      }
      var events = ScopedHistory.query(source.history(), scope, new HistoryQuery(null, null, null, null, null, 500))
          .stream().filter(e -> commit.getName().equals(e.commit())).toList();
      return Optional.of(new CommitPage(pages.frame("Commit " + commit.getName().substring(0, 12), "history", scope),
          commit.getName(), scope.allTenants() ? commit.getFullMessage() : "", commit.getAuthorIdent().getName(),
          Instant.ofEpochSecond(commit.getCommitTime()), List.copyOf(files), ScopedHistory.lines(events)));
    }
  }

  /** The tenant a fleet file belongs to; null for shared files. */
  static String tenantOf(String path) {
    var parts = path.split("/");
    return parts.length > 2 && parts[0].equals("tenants") ? parts[1] : null;
  }
}
