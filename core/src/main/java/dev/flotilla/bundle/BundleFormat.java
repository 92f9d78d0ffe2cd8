package dev.flotilla.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The wire format of a bundle: a Sigstore bundle v0.3 holding a DSSE envelope, no transparency-log entry. */
public final class BundleFormat {
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  public static final String PAYLOAD_TYPE = "application/vnd.flotilla.bundle.v1+json";
  /**
   * The largest signed bundle, in bytes: the reconciler signs none larger, {@code flotilla validate} refuses a fleet
   * that would render one, and the agent reads none larger (download, ops bundle file, stored bundle). The agent's
   * heap ({@code -Xmx} in its launcher and unit) is sized to verify and apply one of this size; see bench/README.md.
   */
  public static final int MAX_BYTES = 16 << 20;
  /** The envelope around the payload's base64 in a signed bundle is under this many bytes (hint, signature). */
  private static final int ENVELOPE_BYTES = 1024;

  private BundleFormat() {}

  /** The cap in words, for messages: {@code 16 MiB (16777216 bytes)}. */
  public static String cap() {
    return (MAX_BYTES >> 20) + " MiB (" + MAX_BYTES + " bytes)";
  }

  /**
   * An upper bound of the size of the signed bundle of a payload of {@code payloadBytes}: its base64 and the
   * envelope. Pure.
   */
  public static long signedSize(long payloadBytes) {
    return 4 * ((payloadBytes + 2) / 3) + ENVELOPE_BYTES;
  }

  /**
   * The head of the DSSE v1 pre-authentication encoding of a payload of {@code payloadLength} bytes: the signature
   * covers this head followed by the payload, so a verifier can feed both without joining them.
   */
  static byte[] paeHead(String payloadType, int payloadLength) {
    var type = payloadType.getBytes(StandardCharsets.UTF_8);
    var out = new ByteArrayOutputStream(type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payloadLength + " ").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** DSSE v1 pre-authentication encoding: what the signature covers. */
  public static byte[] pae(String payloadType, byte[] payload) {
    var head = paeHead(payloadType, payload.length);
    var out = new ByteArrayOutputStream(head.length + payload.length);
    out.writeBytes(head);
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
