package dev.flotilla.digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A sha256 digest, written as the fleet files, bundles and API write it: {@code sha256:} and 64 lowercase hex
 * digits ({@link #toString}). Immutable; the factories are pure apart from reading the stream they are given.
 *
 * @param hex the 64 lowercase hex digits
 */
public record Digest(String hex) {
  public static final String PREFIX = "sha256:";
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /** @throws IllegalArgumentException when {@code hex} is not 64 lowercase hex digits */
  public Digest {
    if (!isHex(hex)) {
      throw new IllegalArgumentException("read digest: '" + hex + "' is not 64 lowercase hex digits");
    }
  }

  /** Whether {@code hex} is 64 lowercase hex digits, the form a digest's {@link #hex()} has. */
  public static boolean isHex(String hex) {
    return hex != null && HEX.matcher(hex).matches();
  }

  /** The digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of(newSha256().digest(bytes));
  }

  /** The digest of everything left in {@code in}, which it reads to the end and closes. */
  public static Digest sha256(InputStream in) throws IOException {
    var digest = newSha256();
    try (var counted = new DigestInputStream(in, digest)) {
      counted.transferTo(OutputStream.nullOutputStream());
    }
    return of(digest.digest());
  }

  /** The digest of a file's content. */
  public static Digest sha256(Path file) throws IOException {
    return sha256(Files.newInputStream(file));
  }

  /**
   * Reads {@code sha256:<hex>}.
   *
   * @throws IllegalArgumentException when {@code text} is not in that form
   */
  public static Digest parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("read digest: '" + text + "' does not start with '" + PREFIX + "'");
    }
    return new Digest(text.substring(PREFIX.length()));
  }

  /** The digest whose bytes are {@code sha256}, 32 of them (such as {@link MessageDigest#digest()} returns). */
  public static Digest of(byte[] sha256) {
    return new Digest(HexFormat.of().formatHex(sha256));
  }

  /** A fresh SHA-256 {@link MessageDigest}, for content read in pieces; finish with {@link #of(byte[])}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** {@code sha256:<hex>}. */
  @Override
  public String toString() {
    return PREFIX + hex;
  }
}
