package dev.flotilla.agent.state;

import dev.flotilla.bundle.BundleBytes;
import dev.flotilla.io.Leftovers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The last good bundle and the trust root on disk, so the agent works offline and across reboots:
 * {@code <stateDir>/bundles/current.json} (the one before it kept as {@code previous.json}) and
 * {@code <stateDir>/trust/root.json}. Stores bytes exactly as received; verifying them is the caller's job.
 *
 * <p>Every save is atomic (temp file in the same directory, fsync, rename, fsync of the directory): a crash leaves
 * the old file or the new one, never a torn one. Files are mode 0600, directories 0700. Errors read {@code save
 * bundle '<file>': <cause>}.
 */
public final class BundleStore {
  /** The temp files {@link #save} makes: {@link Files#createTempFile} puts an unsigned decimal in the middle. */
  private static final Pattern TEMP = Pattern.compile("\\.(current|previous|root)\\.json\\.[0-9]+\\.tmp");
  private final Path bundles;
  private final Path trust;

  public BundleStore(Path stateDir) {
    this.bundles = stateDir.resolve("bundles");
    this.trust = stateDir.resolve("trust");
  }

  /**
   * Makes {@code rawBundle} the current bundle; the current one, if any, becomes the previous one, keeping its time
   * (when it was accepted). The current file is linked as the previous one, not read: a bundle is never held twice,
   * and at every moment a {@code current.json} exists.
   */
  public void saveCurrent(byte[] rawBundle) throws IOException {
    var current = currentFile();
    if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
      var link = bundles.resolve(".previous.json.link");
      try {
        Files.deleteIfExists(link);
        Files.createLink(link, current);
        Files.move(link, previousFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new IOException("save bundle '" + previousFile() + "': " + e.getMessage(), e);
      }
    }
    save(current, rawBundle, "save bundle");
  }

  /** Makes {@code rawBundle} the current bundle without keeping the current one: for one that is unusable. */
  public void replaceCurrent(byte[] rawBundle) throws IOException {
    save(currentFile(), rawBundle, "save bundle");
  }

  /**
   * Removes the temp files a save interrupted by a crash left: regular files named as {@link #save} names them,
   * {@code .current.json.<digits>.tmp} and the like, in the bundles and trust directories; nothing else.
   *
   * @return the files removed
   */
  public List<Path> removeTempFiles() throws IOException {
    var removed = new ArrayList<>(Leftovers.remove(bundles, TEMP));
    removed.addAll(Leftovers.remove(trust, TEMP));
    return removed;
  }


  /** {@code <stateDir>/bundles/current.json}, to name it in messages. */
  public Path currentFile() {
    return bundles.resolve("current.json");
  }

  /** {@code <stateDir>/bundles/previous.json}, to name it in messages. */
  public Path previousFile() {
    return bundles.resolve("previous.json");
  }

  /** The current bundle's bytes, if one was saved; {@link BundleBytes.TooLarge} when it is over the cap. */
  public Optional<byte[]> current() throws IOException {
    return read(currentFile());
  }

  /** When the current bundle was saved, the time it was accepted; call only when {@link #current} has one. */
  public Instant currentSavedAt() throws IOException {
    return Files.getLastModifiedTime(currentFile()).toInstant();
  }

  /** The bundle before the current one, if there was one; {@link BundleBytes.TooLarge} when over the cap. */
  public Optional<byte[]> previous() throws IOException {
    return read(previousFile());
  }

  /** When the previous bundle was accepted; call only when {@link #previous} has one. */
  public Instant previousSavedAt() throws IOException {
    return Files.getLastModifiedTime(previousFile()).toInstant();
  }

  /** Saves the trust root the agent now trusts. */
  public void saveRoot(byte[] rootJson) throws IOException {
    save(trust.resolve("root.json"), rootJson, "save trust root");
  }

  /** The saved trust root, if any. */
  public Optional<byte[]> root() throws IOException {
    return read(trust.resolve("root.json"));
  }

  /**
   * A stored file's bytes, if it exists, read with {@link BundleBytes}.
   *
   * @throws BundleBytes.TooLarge when it is over the bundle cap; it is not read
   */
  private static Optional<byte[]> read(Path file) throws IOException {
    try {
      return Optional.of(BundleBytes.read(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (BundleBytes.TooLarge e) {
      throw e;
    } catch (IOException e) {
      throw new IOException("read '" + file + "': " + e.getMessage(), e);
    }
  }

  private static void save(Path file, byte[] content, String action) throws IOException {
    var directory = file.getParent();
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      }
      var temp = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
      try {
        try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          var buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      }
    } catch (IOException e) {
      throw new IOException(action + " '" + file + "': " + e.getMessage(), e);
    }
  }
}
