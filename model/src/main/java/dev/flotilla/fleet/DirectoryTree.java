package dev.flotilla.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A fleet repo checked out in a directory. Symbolic links are skipped: Git trees hold none that matter. */
public final class DirectoryTree implements FleetTree {
  private final Path root;

  public DirectoryTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public List<String> paths() throws IOException {
    var paths = new ArrayList<String>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !hidden(p))
          .forEach(paths::add);
    }
    paths.sort(null);
    return paths;
  }

  @Override
  public byte[] read(String path, int limit) throws IOException {
    var file = resolve(path);
    if (Files.size(file) <= limit) {
      return Files.readAllBytes(file);
    }
    // readNBytes may allocate its whole length up front: only pay for that on oversized files.
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(limit + 1);
    }
  }

  @Override
  public long size(String path) throws IOException {
    return Files.size(resolve(path));
  }

  private Path resolve(String path) throws IOException {
    var file = root.resolve(path).normalize();
    if (!file.startsWith(root)) {
      throw new IOException("path '" + path + "' leaves the fleet repo");
    }
    return file;
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
