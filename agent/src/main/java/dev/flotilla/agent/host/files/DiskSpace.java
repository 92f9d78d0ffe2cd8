package dev.flotilla.agent.host.files;

import dev.flotilla.agent.plan.Change;
import dev.flotilla.agent.plan.WriteFile;
import dev.flotilla.agent.plan.WriteUnitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a set of file writes fits on the host's filesystems before any of them is made, so a full disk refuses
 * the whole plan instead of leaving it half applied.
 *
 * <p>Counts, per filesystem, every new content rounded up to whole blocks plus one block for the temp file's inode
 * and directory entry, and compares that with the space an unprivileged write may use. A replaced file's old blocks
 * are not counted as free: the atomic write holds the old and the new file at once until the rename. Another
 * process filling the disk between the check and the write is still possible; the write then fails on its own and
 * leaves the old file in place.
 */
public final class DiskSpace {
  private DiskSpace() {}

  /** Why the file and unit file writes among {@code changes} do not fit on the host, or null when they do. */
  public static String shortfall(HostFiles files, List<Change> changes) {
    var writes = new LinkedHashMap<Path, Integer>();
    var devicePaths = new HashMap<Path, String>();
    try {
      for (var change : changes) {
        var write = switch (change) {
          case WriteFile w -> Map.entry(w.path(), w.content().length);
          case WriteUnitFile u -> Map.entry(u.path(), u.content().getBytes(StandardCharsets.UTF_8).length);
          default -> null;
        };
        if (write != null) {
          var host = files.resolve(write.getKey(), "write file");
          writes.put(host, write.getValue());
          devicePaths.put(host, write.getKey());
        }
      }
      return writes.isEmpty() ? null : shortfall(writes, devicePaths);
    } catch (IOException e) {
      return "check free space for the plan's files: " + e.getMessage();
    }
  }

  /**
   * Why {@code writes} (host path → bytes to write) do not fit, or null when they do.
   *
   * @param devicePaths host path → device path, for the message
   */
  static String shortfall(Map<Path, Integer> writes, Map<Path, String> devicePaths) throws IOException {
    var needed = new LinkedHashMap<FileStore, Long>();
    var example = new LinkedHashMap<FileStore, Path>();
    for (var write : writes.entrySet()) {
      var store = Files.getFileStore(existingAncestor(write.getKey()));
      var block = Math.max(store.getBlockSize(), 512);
      var bytes = (write.getValue() + block - 1) / block * block + block;
      needed.merge(store, bytes, Long::sum);
      example.putIfAbsent(store, write.getKey());
    }
    for (var entry : needed.entrySet()) {
      var free = entry.getKey().getUsableSpace();
      if (entry.getValue() > free) {
        var path = example.get(entry.getKey());
        return "write files: they need " + kib(entry.getValue()) + " on the filesystem of '"
            + devicePaths.getOrDefault(path, path.toString()) + "', which has " + kib(free)
            + " free; nothing was written; free space there or make the files smaller";
      }
    }
    return null;
  }

  private static Path existingAncestor(Path path) {
    var candidate = path.toAbsolutePath();
    while (candidate.getParent() != null && !Files.exists(candidate)) {
      candidate = candidate.getParent();
    }
    return candidate;
  }

  private static String kib(long bytes) {
    return (bytes + 1023) / 1024 + " KiB";
  }
}
