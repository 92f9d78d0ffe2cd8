package dev.flotilla.plan;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 digests in the form the fleet files use: {@code sha256:} and 64 lowercase hex digits. */
public final class Sha256 {
  private static final String PREFIX = "sha256:";

  private Sha256() {
  }

  /** The digest of {@code bytes}. */
  public static String of(byte[] bytes) {
    var digest = newDigest();
    digest.update(bytes);
    return format(digest);
  }

  /** A fresh digest, for content read in pieces; see {@link #format(MessageDigest)}. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Completes {@code digest} and formats it. */
  public static String format(MessageDigest digest) {
    return PREFIX + HexFormat.of().formatHex(digest.digest());
  }
}
