package dev.flotilla.trust;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;

/**
 * Decides which trust root to trust, TUF-style: a first root must carry the threshold of its own root keys; each
 * rotation N→N+1 must carry the threshold of the old root's keys and of the new root's keys; the root finally
 * trusted must not be expired (intermediate ones may be). Fails closed with {@link TrustException}.
 */
public final class RootVerifier {
  private final Clock clock;

  public RootVerifier(Clock clock) {
    this.clock = clock;
  }

  public TrustRoot trustInitial(TrustRoot root) throws TrustException {
    requireSelfSigned(root);
    return requireUnexpired(root);
  }

  /**
   * Whether {@code root} carries the threshold of valid signatures of the root keys it lists itself (what an agent
   * and the reconciler check first); expiry is not checked. Pure.
   */
  public static void requireSelfSigned(TrustRoot root) throws TrustException {
    requireSigned(root, root, "its own");
  }

  public TrustRoot rotate(TrustRoot current, TrustRoot next) throws TrustException {
    long have = current.getSigned().getVersion();
    long got = next.getSigned().getVersion();
    if (got != have + 1) {
      throw new TrustException(Refusal.ROOT_ROTATION, "rotate trust root: version " + got + " does not follow "
          + have + "; every version in between is needed");
    }
    if (!current.getSigned().getFleet().equals(next.getSigned().getFleet())) {
      throw new TrustException(Refusal.ROOT_ROTATION, "rotate trust root: version " + got + " is for fleet '"
          + next.getSigned().getFleet() + "', not '" + current.getSigned().getFleet() + "'");
    }
    requireSigned(next, current, "the old root's");
    requireSigned(next, next, "the new root's");
    return next;
  }

  /** Applies the rotations in {@code chain} newer than {@code current}, in order; the result must be unexpired. */
  public TrustRoot update(TrustRoot current, List<TrustRoot> chain) throws TrustException {
    var trusted = current;
    for (var next : chain) {
      if (next.getSigned().getVersion() > trusted.getSigned().getVersion()) {
        trusted = rotate(trusted, next);
      }
    }
    return requireUnexpired(trusted);
  }

  private TrustRoot requireUnexpired(TrustRoot root) throws TrustException {
    var expires = root.getSigned().getExpires().toInstant();
    if (!clock.instant().isBefore(expires)) {
      throw new TrustException(Refusal.ROOT_EXPIRED, "trust root version " + root.getSigned().getVersion()
          + " expired at " + expires + "; sign a new one with 'flotilla keys rotate'");
    }
    return root;
  }

  /** Counts distinct keys of {@code keys}' root role that signed {@code root}; each key counts once. */
  private static void requireSigned(TrustRoot root, TrustRoot keys, String whose) throws TrustException {
    var bytes = TrustRoots.signedBytes(root);
    var roleKeys = new HashSet<String>();
    TrustRoots.keys(keys, KeyRole.ROOT).forEach(k -> roleKeys.add(Keys.keyId(k)));
    var byId = TrustRoots.byId(keys);
    var valid = new HashSet<String>();
    for (var signature : root.getSignatures()) {
      var key = byId.get(signature.getKeyId());
      if (key != null && roleKeys.contains(signature.getKeyId())
          && Keys.verify(key, bytes, decode(signature.getSig()))) {
        valid.add(signature.getKeyId());
      }
    }
    int threshold = TrustRoots.threshold(keys, KeyRole.ROOT);
    if (valid.size() < threshold) {
      throw new TrustException(Refusal.ROOT_ROTATION, "verify trust root version " + root.getSigned().getVersion()
          + ": " + valid.size() + " valid signature(s) of " + whose + " root keys, " + threshold + " needed");
    }
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
