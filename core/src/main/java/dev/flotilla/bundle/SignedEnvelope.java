package dev.flotilla.bundle;

import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Base64;

/**
 * A Sigstore bundle v0.3 holding a DSSE envelope, of any payload type, read for a signature check by a key the
 * caller chooses from its unsigned {@link #hint}. Reading checks the size (before any parsing), the media type, the
 * envelope and that the payload is plain base64, and never decodes the payload; {@link #signedBy} checks a
 * signature over the DSSE PAE of the exact payload bytes, and only then may {@link #payload} be parsed. Bundles
 * ({@link BundleVerifier}) and receipts are read through here. Immutable.
 */
public final class SignedEnvelope {
  private final byte[] raw;
  private final Envelope envelope;
  private final int payloadLength;

  private SignedEnvelope(byte[] raw, Envelope envelope, int payloadLength) {
    this.raw = raw;
    this.envelope = envelope;
    this.payloadLength = payloadLength;
  }

  /**
   * Reads {@code raw}, refusing (MALFORMED) one that is empty or over {@code maxBytes} before parsing it, and one
   * that is not a Sigstore bundle v0.3 with a DSSE envelope and a base64 payload.
   *
   * @param cap {@code maxBytes} in words, for messages
   * @param action what is being done, for messages: {@code verify bundle}
   */
  public static SignedEnvelope read(byte[] raw, int maxBytes, String cap, String action) throws TrustException {
    if (raw == null || raw.length == 0 || raw.length > maxBytes) {
      throw malformed(action, raw == null || raw.length == 0 ? "it is empty"
          : "it is " + raw.length + " bytes, over the cap of " + cap);
    }
    var envelope = Envelope.read(raw);
    if (!BundleFormat.MEDIA_TYPE.equals(envelope.mediaType())) {
      throw malformed(action, "not a Sigstore bundle v0.3 (mediaType '" + BundleFormat.MEDIA_TYPE + "')");
    }
    if (!envelope.hasEnvelope()) {
      throw malformed(action, "no DSSE envelope");
    }
    try {
      var length = envelope.payloadLength(raw);
      if (length < 0) {
        throw malformed(action, "no payload");
      }
      return new SignedEnvelope(raw, envelope, length);
    } catch (IllegalArgumentException e) {
      throw malformed(action, "the payload is not base64");
    }
  }

  /** {@code verificationMaterial.publicKey.hint}: which key to check with, as the signer named it; unsigned. */
  public String hint() {
    return envelope.hint();
  }

  /** The envelope's payload type; unsigned until {@link #signedBy} (the signature covers it). */
  public String payloadType() {
    return envelope.payloadType();
  }

  /** Whether the envelope has at least one signature. */
  public boolean signed() {
    return envelope.signatures().isArray() && !envelope.signatures().isEmpty();
  }

  /** Whether one of the signatures is {@code key}'s over the PAE of the payload type and the exact payload. */
  public boolean signedBy(PublicKey key) {
    var paeHead = BundleFormat.paeHead(envelope.payloadType(), payloadLength);
    for (var signature : envelope.signatures()) {
      var sig = signature.path("sig").asText(null);
      if (sig != null && BundleVerifier.verifies(key, paeHead, envelope.payload(raw), decode(sig))) {
        return true;
      }
    }
    return false;
  }

  /** The payload's bytes, decoded from the raw bundle; parse them only after {@link #signedBy}. */
  public byte[] payload() {
    try (var in = envelope.payload(raw)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("decode payload: " + e.getMessage(), e); // checked as base64 when read
    }
  }

  Envelope envelope() {
    return envelope;
  }

  int payloadLength() {
    return payloadLength;
  }

  /** A signature's bytes; a text that is not base64 gives none, which verifies nothing. */
  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static TrustException malformed(String action, String why) {
    return new TrustException(Refusal.MALFORMED, action + ": " + why);
  }
}
