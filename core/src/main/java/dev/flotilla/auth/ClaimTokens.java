package dev.flotilla.auth;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The claim token format: {@code flt1.<secret>.<root>}, where {@code <secret>} is 32 random bytes in unpadded
 * base64url and {@code <root>} the first 16 hex digits of the fleet's root-key fingerprint when the token was made.
 * Only {@link #hash} of the whole token goes to Git. The device checks the trust root the server gives it against
 * {@code <root>}, so it does not trust whatever answers first. Pure apart from {@link #generate}'s randomness.
 */
public final class ClaimTokens {
  public static final int PREFIX_HEX = 16;
  private static final Pattern FORMAT = Pattern.compile("flt1\\.[A-Za-z0-9_-]{43}\\.[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClaimTokens() {}

  /** A new token bound to {@code rootFingerprint} ({@code sha256:<hex>}). */
  public static String generate(String rootFingerprint) {
    var secret = new byte[32];
    RANDOM.nextBytes(secret);
    return "flt1." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "."
        + Digest.parse(rootFingerprint).hex().substring(0, PREFIX_HEX);
  }

  /** Whether {@code token} has the format; says nothing about whether it is known. */
  public static boolean wellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  /** {@code sha256:<hex>} of the token's UTF-8 bytes: what the ClaimToken file stores. */
  public static String hash(String token) {
    return Digest.sha256(token.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The root-key fingerprint prefix the token carries (16 hex digits). */
  public static String rootPrefix(String token) {
    if (!wellFormed(token)) {
      throw new IllegalArgumentException("read claim token: not a Flotilla claim token (flt1.<secret>.<root>); "
          + "copy it again from 'flotilla token create'");
    }
    return token.substring(token.lastIndexOf('.') + 1);
  }

  /**
   * The fingerprint of a trust root's root keys and threshold: {@code sha256:} over the sorted key ids and the
   * threshold, so it changes exactly when the root keys do.
   */
  public static String rootFingerprint(TrustRoot root) {
    var ids = TrustRoots.keys(root, KeyRole.ROOT).stream().map(Keys::keyId).sorted().toList();
    var text = String.join("\n", ids) + "\nthreshold " + TrustRoots.threshold(root, KeyRole.ROOT);
    return Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Whether {@code root}'s root keys are the ones {@code token} was made for. */
  public static boolean matches(String token, TrustRoot root) {
    return Digest.parse(rootFingerprint(root)).hex().startsWith(rootPrefix(token));
  }
}
