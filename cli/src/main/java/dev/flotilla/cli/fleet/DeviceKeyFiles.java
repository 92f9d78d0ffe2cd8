package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.io.Failures;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * Where {@code flotilla device keygen} puts a device's key pair: {@code DEVICE.pem} (0600) and {@code DEVICE.pub.pem}
 * in a directory outside the fleet repo. {@link #in} checks everything it can before a key is made, so a refusal
 * leaves the repo and the directory as they were; every refusal is a {@link UserException}.
 */
public record DeviceKeyFiles(Path dir, Path privateKey, Path publicKey) {

  /**
   * The key files of {@code device} in {@code dir}. Refuses (exit 2) a directory inside {@code repo}, following
   * symbolic links, or one that is a file; refuses (exit 1) key files that exist.
   */
  public static DeviceKeyFiles in(Path dir, Path repo, String device) throws IOException {
    var repoPath = realPath(repo);
    if (realPath(dir).startsWith(repoPath)) {
      throw new UserException(ExitCodes.USAGE, "keep device keys out of the fleet repo: '" + dir
          + "' is inside '" + repoPath + "'; pass --out with a directory outside it");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserException(ExitCodes.USAGE, "write device keys to '" + dir
          + "': it is a file, not a directory; pass --out with a directory");
    }
    var files = new DeviceKeyFiles(dir, dir.resolve(device + ".pem"), dir.resolve(device + ".pub.pem"));
    for (var file : new Path[] {files.privateKey, files.publicKey}) {
      if (Files.exists(file)) {
        throw new UserException(ExitCodes.FAILURE, "write device key '" + file
            + "': it exists; move it away, or pass another --out");
      }
    }
    return files;
  }

  /** Writes both halves of {@code pair}, making the directory if needed; one it cannot write is one line. */
  public void write(KeyPair pair) throws IOException {
    try {
      Keys.writePrivate(privateKey, pair.getPrivate());
      Keys.writePublic(publicKey, pair.getPublic());
    } catch (FileSystemException e) {
      Files.deleteIfExists(privateKey);
      throw new UserException(ExitCodes.FAILURE, "write device keys to '" + dir + "': " + Failures.reason(e)
          + "; pass --out with a directory you can write");
    }
  }

  /** The real path of {@code path}, or of its nearest existing parent with the rest appended: it may not exist yet. */
  private static Path realPath(Path path) throws IOException {
    var absolute = path.toAbsolutePath().normalize();
    var existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
  }
}
