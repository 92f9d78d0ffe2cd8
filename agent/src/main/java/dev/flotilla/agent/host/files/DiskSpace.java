package dev.flotilla.agent.host.files;

import dev.flotilla.plan.Change;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.plan.WriteUnitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

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

  /** A file write: where it lands on the host, the path the bundle names (for the message), its size. */
  private record Write(Path host, String device, long bytes) {}

  /** What the writes on one filesystem need, and one of their device paths to name it by. */
  private record Need(long bytes, String example) {
    Need plus(Need other) {
      return new Need(bytes + other.bytes, example);
    }
  }

  /** Why the file and unit file writes among {@code changes} do not fit on the host, or null when they do. */
  public static String shortfall(HostFiles files, List<Change> changes) {
    try {
      var writes = new LinkedHashMap<Path, Write>(); // by host path: a path written twice needs its space once
      for (var change : changes) {
        var write = switch (change) {
          case WriteFile w -> new Write(files.resolve(w.path(), "write file"), w.path(), w.content().length);
          // the value is not opened to plan; its ciphertext is longer than it by the KEM's 65 bytes and a tag
          case WriteSealedFile w -> new Write(files.resolve(w.path(), "write file"), w.path(),
              w.sealed().getCiphertext().length() * 3L / 4);
          case WriteUnitFile u -> new Write(files.resolve(u.path(), "write file"), u.path(),
              u.content().getBytes(StandardCharsets.UTF_8).length);
          // the agent's own sysctl.d file is not under the allowed paths, so it is not resolved against them
          case PersistSysctl p when !p.deletes() -> new Write(files.root().resolve(p.path().substring(1)), p.path(),
              p.content().length);
          default -> null;
        };
        if (write != null) {
          writes.put(write.host(), write);
        }
      }
      return shortfall(writes.values());
    } catch (IOException e) {
      return "check free space for the plan's files: " + e.getMessage();
    }
  }

  private static String shortfall(Collection<Write> writes) throws IOException {
    var needs = new LinkedHashMap<FileStore, Need>();
    for (var write : writes) {
      var store = Files.getFileStore(existingAncestor(write.host()));
      var block = Math.max(store.getBlockSize(), 512);
      var bytes = (write.bytes() + block - 1) / block * block + block;
      needs.merge(store, new Need(bytes, write.device()), Need::plus);
    }
    for (var entry : needs.entrySet()) {
      var free = entry.getKey().getUsableSpace();
      var need = entry.getValue();
      if (need.bytes() > free) {
        return "write files: they need " + kib(need.bytes()) + " on the filesystem of '" + need.example()
            + "', which has " + kib(free) + " free; nothing was written; free space there or make the files smaller";
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
