package dev.flotilla.secret;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), extract then expand. Pure; thread-safe. */
public final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /** The pseudorandom key from {@code salt} (empty means 32 zero bytes) and the input keying material. */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    var key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    return mac(key).doFinal(ikm);
  }

  /** {@code length} bytes of output keying material bound to {@code info}; at most 255 × 32 bytes. */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("expand HKDF: length " + length + " is not in 0.." + 255 * HASH_LENGTH);
    }
    var mac = mac(prk);
    var out = new ByteArrayOutputStream(length);
    var block = new byte[0];
    for (int counter = 1; out.size() < length; counter++) {
      mac.update(block);
      mac.update(info);
      mac.update((byte) counter);
      block = mac.doFinal();
      out.write(block, 0, Math.min(block.length, length - out.size()));
    }
    return out.toByteArray();
  }

  private static Mac mac(byte[] key) {
    try {
      var mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("make " + HMAC + ": " + e.getMessage(), e);
    }
  }
}
