package dev.flotilla.agent.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The size and free space of the filesystem mounted at a path: the I/O seam of disk telemetry. */
public interface DiskSpace {
  /** Size and space left to unprivileged users, in bytes. */
  record Usage(long sizeBytes, long availableBytes) {}

  /**
   * The usage of the filesystem mounted at {@code mountPoint} (absolute, as {@code /proc/mounts} names it).
   *
   * @throws IOException when it cannot be read (gone, or no permission)
   */
  Usage of(String mountPoint) throws IOException;

  /** The JDK's view ({@code statvfs}) of mount points under {@code hostRoot}. */
  static DiskSpace under(Path hostRoot) {
    return mountPoint -> {
      var store = Files.getFileStore(hostRoot.resolve(mountPoint.substring(1)));
      return new Usage(store.getTotalSpace(), store.getUsableSpace());
    };
  }
}
