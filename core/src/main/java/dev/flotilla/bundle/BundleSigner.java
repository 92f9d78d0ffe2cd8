package dev.flotilla.bundle;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.flotilla.trust.Keys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * Signs payloads into Sigstore bundles with a bundle-signer key: ECDSA P-256 over the DSSE PAE, the key named by
 * {@code verificationMaterial.publicKey.hint} — the layout cosign writes for {@code sign-blob --key} without a log.
 * The bundle's JSON is written straight from its parts, with the members in the order and the escapes Jackson
 * gives the same tree ({@code BundleSignerTest} holds it to that). Thread-safe.
 */
public final class BundleSigner {
  private final PrivateKey key;
  /** The bundle up to the payload's base64: media type and key hint. */
  private final byte[] head;

  /** Names the key by its Sigstore hint, base64 sha256 of the public key: what bundles carry. */
  public BundleSigner(KeyPair key) {
    this(key.getPrivate(), Keys.hint(key.getPublic()));
  }

  /**
   * Names the key by {@code hint}, which verifiers read (unsigned) to find the key to check with: receipts name
   * their device and fleet commit there, as a device may hold only its private key.
   */
  public BundleSigner(PrivateKey key, String hint) {
    this.key = key;
    this.head = ("{\"mediaType\":" + quote(BundleFormat.MEDIA_TYPE) + ",\"verificationMaterial\":{\"publicKey\":"
        + "{\"hint\":" + quote(hint) + "}},\"dsseEnvelope\":{\"payload\":\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  public byte[] sign(byte[] payload) {
    return sign(payload, BundleFormat.PAYLOAD_TYPE);
  }

  /** Signs with another payload type; the verifier refuses it, which tests need to show. */
  public byte[] sign(byte[] payload, String payloadType) {
    var signature = Keys.sign(key, BundleFormat.pae(payloadType, payload));
    var base64 = Base64.getEncoder();
    var encoded = base64.encode(payload);
    var out = new ByteArrayOutputStream(head.length + encoded.length + payloadType.length() + 160);
    out.writeBytes(head);
    out.writeBytes(encoded);
    out.writeBytes(("\",\"payloadType\":" + quote(payloadType) + ",\"signatures\":[{\"sig\":\""
        + base64.encodeToString(signature) + "\",\"keyid\":\"\"}]}}").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static String quote(String value) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }
}
