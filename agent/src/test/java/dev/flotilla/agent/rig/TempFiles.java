package dev.flotilla.agent.rig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing what the rigs leave in the temp directory: whole trees, since daemons add files of their own. */
final class TempFiles {
  private TempFiles() {}

  /** Deletes {@code root} and everything under it; nothing when it does not exist. Throws on the first failure. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
