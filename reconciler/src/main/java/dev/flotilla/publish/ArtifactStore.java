package dev.flotilla.publish;

import dev.flotilla.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.Optional;

/**
 * A content-addressed directory of artifact bytes: {@code <root>/sha256/<hex>}, the file's name being the sha256 of
 * its content. Written by {@code flotilla artifact add --store}, served by the reconciler. A file is copied in under
 * a temporary name, hashed while copying, and moved into place atomically, so a reader never sees a partial blob
 * and a name never holds other content. Safe for concurrent readers and writers.
 */
public final class ArtifactStore {
  private final Path root;

  public ArtifactStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The blob of {@code hex} if the store holds it; empty for unknown or malformed digests. */
  public Optional<Path> find(String hex) {
    if (!Digest.isHex(hex)) {
      return Optional.empty();
    }
    var file = root.resolve("sha256").resolve(hex);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Copies {@code in} into the store and returns its sha256 hex; an existing blob of the same digest is kept. */
  public String put(InputStream in) throws IOException {
    var dir = Files.createDirectories(root.resolve("sha256"));
    var temp = Files.createTempFile(dir, ".incoming-", ".tmp");
    try {
      var digest = Digest.newSha256();
      try (var hashing = new DigestInputStream(in, digest); var out = Files.newOutputStream(temp)) {
        hashing.transferTo(out);
      }
      var hex = Digest.of(digest.digest()).hex();
      var target = dir.resolve(hex);
      if (!Files.exists(target)) {
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target);
        }
      }
      return hex;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public String put(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return put(in);
    }
  }
}
