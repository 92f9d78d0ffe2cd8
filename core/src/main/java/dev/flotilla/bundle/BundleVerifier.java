package dev.flotilla.bundle;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;

/**
 * Checks a downloaded bundle in the order of the design, failing closed at the first problem: trust root unexpired →
 * well-formed Sigstore bundle → payload type → signed → signing key in the root → key is a bundle signer →
 * signature over the DSSE PAE → payload matches its schema (parsed only now) → fleet → device → identity →
 * version above the last accepted → not expired. One signature by a bundle-signer key is required and enough: the
 * reconciler holds one signing key, and the bundle-signer threshold of the root is for rotating it, not for
 * co-signing. Pure apart from the clock; thread-safe.
 */
public final class BundleVerifier {
  private final Clock clock;

  public BundleVerifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * Verifies {@code raw}, at most {@link BundleFormat#MAX_BYTES}. Besides the raw bytes it holds no copy of the
   * payload: it is decoded from them as the signature is checked, and again as it is parsed; the result keeps only
   * the parsed payload.
   */
  public VerifiedBundle verify(byte[] raw, TrustRoot root, Expectation expect) throws TrustException {
    var now = clock.instant();
    var rootExpires = root.getSigned().getExpires().toInstant();
    if (!now.isBefore(rootExpires)) {
      throw refuse(Refusal.ROOT_EXPIRED, "trust root version " + root.getSigned().getVersion() + " expired at "
          + rootExpires);
    }
    var signed = SignedEnvelope.read(raw, BundleFormat.MAX_BYTES, BundleFormat.cap(), "verify bundle");
    var envelope = signed.envelope();
    var payloadType = envelope.payloadType();
    if (!BundleFormat.PAYLOAD_TYPE.equals(payloadType)) {
      throw refuse(Refusal.PAYLOAD_TYPE, "payload type is '" + payloadType + "', not '" + BundleFormat.PAYLOAD_TYPE + "'");
    }
    var payloadLength = signed.payloadLength();
    var signatures = envelope.signatures();
    if (!signatures.isArray() || signatures.isEmpty()) {
      throw refuse(Refusal.UNSIGNED, "it carries no signature");
    }
    var key = keyByHint(root, envelope.hint());
    var keyId = Keys.keyId(key);
    if (TrustRoots.keys(root, KeyRole.BUNDLE_SIGNER).stream().noneMatch(k -> Keys.keyId(k).equals(keyId))) {
      throw refuse(Refusal.WRONG_ROLE, "signed by key " + keyId.substring(0, 16) + ", which trust root version "
          + root.getSigned().getVersion() + " lists but not as a bundle-signer");
    }
    var paeHead = BundleFormat.paeHead(payloadType, payloadLength);
    boolean verified = false;
    for (var signature : signatures) {
      var sig = signature.path("sig").asText(null);
      if (sig != null && verifies(key, paeHead, envelope.payload(raw), base64(sig, "signature"))) {
        verified = true;
        break;
      }
    }
    if (!verified) {
      throw refuse(Refusal.BAD_SIGNATURE, "the signature does not match the content; it was changed after signing");
    }
    var bundle = BundlePayloads.decode(envelope.payload(raw));
    check(bundle, root, expect, now);
    return new VerifiedBundle(bundle, keyId);
  }

  /** Whether {@code signature} is an ECDSA P-256/SHA-256 signature over the PAE head followed by the payload. */
  static boolean verifies(PublicKey key, byte[] paeHead, InputStream payload, byte[] signature) {
    try (payload) {
      var verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(paeHead);
      var buffer = new byte[64 * 1024];
      int n;
      while ((n = payload.read(buffer)) != -1) {
        verifier.update(buffer, 0, n);
      }
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return false;
    }
  }

  private static void check(dev.flotilla.model.BundlePayload bundle, TrustRoot root, Expectation expect,
      java.time.Instant now) throws TrustException {
    var fleet = root.getSigned().getFleet();
    if (!bundle.getFleet().equals(fleet) || !bundle.getFleet().equals(expect.fleet())) {
      throw refuse(bundle, Refusal.WRONG_FLEET, "made for fleet '" + bundle.getFleet() + "', this is '" + expect.fleet() + "'");
    }
    if (!bundle.getDevice().equals(expect.device())) {
      throw refuse(bundle, Refusal.WRONG_DEVICE, "made for device '" + bundle.getDevice() + "', this is '" + expect.device() + "'");
    }
    if (!bundle.getIdentityHash().equals(expect.identityHash())) {
      throw refuse(bundle, Refusal.IDENTITY_MISMATCH, "made for machine " + abbreviate(bundle.getIdentityHash())
          + ", this machine is " + abbreviate(expect.identityHash()) + "; was the disk cloned or the machine-id changed?");
    }
    if (bundle.getVersion() <= expect.lastAcceptedVersion()) {
      throw refuse(bundle, Refusal.REPLAY, "version " + bundle.getVersion() + " is not newer than version "
          + expect.lastAcceptedVersion() + ", already accepted");
    }
    var expires = bundle.getExpiresAt().toInstant();
    if (!now.isBefore(expires)) {
      throw refuse(bundle, Refusal.EXPIRED, "version " + bundle.getVersion() + " expired at " + expires);
    }
  }

  private static PublicKey keyByHint(TrustRoot root, String hint) throws TrustException {
    for (var key : TrustRoots.byId(root).values()) {
      if (Keys.hint(key).equals(hint)) {
        return key;
      }
    }
    throw refuse(Refusal.UNKNOWN_KEY, "signed by key '" + hint + "', which trust root version "
        + root.getSigned().getVersion() + " does not list");
  }

  private static byte[] base64(String text, String what) throws TrustException {
    if (text == null) {
      throw refuse(Refusal.MALFORMED, "no " + what);
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw refuse(Refusal.MALFORMED, "the " + what + " is not base64");
    }
  }

  private static String abbreviate(String hash) {
    return hash.length() > 19 ? hash.substring(0, 19) + "…" : hash;
  }

  private static TrustException refuse(Refusal refusal, String why) {
    return new TrustException(refusal, "verify bundle: " + why);
  }

  /** A refusal of a bundle whose signature verified, so its version is known. */
  private static TrustException refuse(dev.flotilla.model.BundlePayload bundle, Refusal refusal, String why) {
    return new TrustException(refusal, "verify bundle: " + why, java.util.OptionalLong.of(bundle.getVersion()));
  }
}
