package dev.flotilla.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A secret a process makes for itself on first use (an operator token, a webhook's HMAC key): 32 random bytes as
 * hex in a file of mode 0600, written whole or not at all. Read back stripped; an empty file is an error, not a new
 * secret, because someone may already hold the old one.
 */
public final class SecretFile {
  private SecretFile() {
  }

  /**
   * The secret in {@code file}, made first when the file does not exist ({@code what} names it in errors).
   * Callers that may race on one file in one process serialise the call.
   */
  public static String readOrMake(Path file, String what) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      var secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      var partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(partial, HexFormat.of().formatHex(secret) + "\n");
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }
    var secret = Files.readString(file).strip();
    if (secret.isEmpty()) {
      throw new IOException("read " + what + " '" + file + "': empty; delete it to make a new one");
    }
    return secret;
  }
}
