package dev.flotilla.auth;

import dev.flotilla.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request signatures a server has already verified, so a device that sends the same signed request again
 * (a poll repeated within {@link RequestSignature#MAX_SKEW}) costs a hash instead of an ECDSA verify. An entry is
 * the sha256 of the exact public key, signed message (device, method, path and query, date, body hash) and
 * signature: any other key, device, path, date, body or signature misses. It caches only the verify of one public
 * key; the caller still looks up the device's current key on every request (so a removed device or a replaced
 * key stops working at once), and {@link RequestSignature#check} still refuses a date outside the skew first.
 * Bounded: past {@code capacity} entries the oldest is dropped. Thread-safe.
 */
public final class VerifiedSignatures {
  /** Room for five distinct signatures per device of a 10,000-device fleet (~150 bytes an entry). */
  public static final int DEFAULT_CAPACITY = 50_000;
  private final int capacity;
  private final Map<String, Boolean> verified;

  public VerifiedSignatures(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("make signature cache: capacity " + capacity + " must be at least 1");
    }
    this.capacity = capacity;
    this.verified = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > VerifiedSignatures.this.capacity;
      }
    };
  }

  /** Whether exactly this key, message and signature were verified before. */
  public boolean contains(PublicKey key, byte[] message, String signature) {
    var entry = entry(key, message, signature);
    synchronized (verified) {
      return verified.containsKey(entry);
    }
  }

  /** Records a signature that verified. */
  public void add(PublicKey key, byte[] message, String signature) {
    var entry = entry(key, message, signature);
    synchronized (verified) {
      verified.put(entry, Boolean.TRUE);
    }
  }

  public int size() {
    synchronized (verified) {
      return verified.size();
    }
  }

  private static String entry(PublicKey key, byte[] message, String signature) {
    var sha = Digest.newSha256();
    var encoded = key.getEncoded();
    sha.update(Integer.toString(encoded.length).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(encoded);
    sha.update(Integer.toString(message.length).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(message);
    sha.update(signature.getBytes(StandardCharsets.UTF_8));
    return Digest.of(sha.digest()).hex();
  }
}
