package dev.flotilla.io;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an atomic write (a temp file renamed over its target) leaves when a crash or {@code kill -9} comes between
 * the two steps. Every writer that names its temp files with a pattern removes them through here at its next start,
 * so none of them piles up (some hold whole file contents or private keys).
 */
public final class Leftovers {
  private Leftovers() {}

  /**
   * Deletes the regular files in {@code directory} whose whole name matches {@code name}; never a symlink, a
   * directory or another name, and never through a symlink at {@code directory}. A missing directory has none.
   *
   * @return the deleted files, in directory order
   * @throws IOException naming the directory when it cannot be listed or a file cannot be deleted
   */
  public static List<Path> remove(Path directory, Pattern name) throws IOException {
    var removed = new ArrayList<Path>();
    if (!Files.isDirectory(directory, NOFOLLOW_LINKS)) {
      return removed;
    }
    try (var entries = Files.newDirectoryStream(directory, entry -> name.matcher(entry.getFileName().toString())
        .matches() && Files.isRegularFile(entry, NOFOLLOW_LINKS))) {
      for (var entry : entries) {
        if (Files.deleteIfExists(entry)) {
          removed.add(entry);
        }
      }
    } catch (IOException e) {
      throw new IOException("remove temp files in '" + directory + "': " + Failures.describe(e), e);
    }
    return removed;
  }
}
