package dev.flotilla.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The wire format of a bundle: a Sigstore bundle v0.3 holding a DSSE envelope, no transparency-log entry. */
public final class BundleFormat {
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  public static final String PAYLOAD_TYPE = "application/vnd.flotilla.bundle.v1+json";

  private BundleFormat() {}

  /** DSSE v1 pre-authentication encoding: what the signature covers. */
  public static byte[] pae(String payloadType, byte[] payload) {
    var type = payloadType.getBytes(StandardCharsets.UTF_8);
    var out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
