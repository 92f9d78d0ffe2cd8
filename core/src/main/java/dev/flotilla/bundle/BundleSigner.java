package dev.flotilla.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.trust.Keys;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.Base64;

/**
 * Signs payloads into Sigstore bundles with a bundle-signer key: ECDSA P-256 over the DSSE PAE, the key named by
 * {@code verificationMaterial.publicKey.hint} — the layout cosign writes for {@code sign-blob --key} without a log.
 * Thread-safe.
 */
public final class BundleSigner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KeyPair key;
  private final String hint;

  public BundleSigner(KeyPair key) {
    this.key = key;
    this.hint = Keys.hint(key.getPublic());
  }

  public byte[] sign(byte[] payload) {
    return sign(payload, BundleFormat.PAYLOAD_TYPE);
  }

  /** Signs with another payload type; the verifier refuses it, which tests need to show. */
  public byte[] sign(byte[] payload, String payloadType) {
    var signature = Keys.sign(key.getPrivate(), BundleFormat.pae(payloadType, payload));
    var bundle = JSON.createObjectNode();
    bundle.put("mediaType", BundleFormat.MEDIA_TYPE);
    bundle.putObject("verificationMaterial").putObject("publicKey").put("hint", hint);
    var envelope = bundle.putObject("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString(payload));
    envelope.put("payloadType", payloadType);
    envelope.putArray("signatures").addObject()
        .put("sig", Base64.getEncoder().encodeToString(signature))
        .put("keyid", "");
    try {
      return JSON.writeValueAsBytes(bundle);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
