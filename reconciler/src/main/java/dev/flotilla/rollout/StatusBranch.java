package dev.flotilla.rollout;

import java.io.IOException;
import java.util.Map;

/**
 * Where rollout states are kept: the files under {@code status/} of the status branch. Git in the reconciler
 * ({@link GitStatusBranch}); a map in tests. Writes are compare-and-swap on the branch's commit, so of two
 * reconcilers that race, one wins and the other reads again.
 */
public interface StatusBranch {

  /** The files of the branch's newest commit by path, and that commit (null when the branch does not exist). */
  record Snapshot(String commit, Map<String, byte[]> files) {}

  Snapshot read() throws IOException;

  /**
   * Commits {@code files} (path → content) on top of {@code base} and publishes the commit if the branch is still
   * at {@code base}. Returns the new commit, or null, changing nothing, when another writer moved the branch first.
   */
  String commit(String base, Map<String, byte[]> files, String message) throws IOException;
}
