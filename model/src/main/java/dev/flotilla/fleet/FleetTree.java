package dev.flotilla.fleet;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The files of a fleet repo at one revision: a checked-out directory, or a Git commit's tree read without a
 * checkout. Paths are relative, '/'-separated and sorted.
 */
public interface FleetTree {

  /** Every regular file's path, sorted; hidden files and folders (a leading '.') are left out. */
  List<String> paths() throws IOException;

  /** Reads at most {@code limit + 1} bytes of the file, so a caller can tell an oversized file without reading it. */
  byte[] read(String path, int limit) throws IOException;

  /** The file's size in bytes. */
  long size(String path) throws IOException;

  /**
   * A hash of the file's content at this revision (Git's blob id), when the tree knows one without reading the
   * file: two files of equal path and id are byte for byte the same, so whatever was read from one holds for the
   * other. Empty for a checked-out directory.
   */
  default Optional<String> contentId(String path) {
    return Optional.empty();
  }
}
