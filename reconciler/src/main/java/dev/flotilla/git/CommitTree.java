package dev.flotilla.git;

import dev.flotilla.fleet.FleetTree;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files of one commit, read straight from Git's object database without a checkout. Thread-safe: each read
 * opens its own object reader. Hidden paths (a segment starting with '.') and non-regular files are left out, as in
 * a checked-out directory.
 */
public final class CommitTree implements FleetTree {
  private final Repository repository;
  private final Map<String, ObjectId> blobs;

  private CommitTree(Repository repository, Map<String, ObjectId> blobs) {
    this.repository = repository;
    this.blobs = blobs;
  }

  public static CommitTree of(Repository repository, RevCommit commit) throws IOException {
    var blobs = new TreeMap<String, ObjectId>();
    try (var walk = new TreeWalk(repository)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        var mode = walk.getFileMode(0);
        if ((mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) && !hidden(walk.getPathString())) {
          blobs.put(walk.getPathString(), walk.getObjectId(0));
        }
      }
    }
    return new CommitTree(repository, blobs);
  }

  @Override
  public List<String> paths() {
    return new ArrayList<>(blobs.keySet());
  }

  @Override
  public byte[] read(String path, int limit) throws IOException {
    var loader = repository.open(blob(path));
    if (loader.getSize() <= limit) {
      return loader.getCachedBytes(limit);
    }
    try (InputStream in = loader.openStream()) {
      return in.readNBytes(limit + 1);
    }
  }

  @Override
  public long size(String path) throws IOException {
    return repository.open(blob(path)).getSize();
  }

  /** The file's Git blob id. */
  @Override
  public Optional<String> contentId(String path) {
    return Optional.ofNullable(blobs.get(path)).map(ObjectId::name);
  }

  private ObjectId blob(String path) throws IOException {
    var id = blobs.get(path);
    if (id == null) {
      throw new IOException("read '" + path + "': not in the commit");
    }
    return id;
  }

  private static boolean hidden(String path) {
    for (var segment : path.split("/")) {
      if (segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
