package dev.flotilla.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Whether a private key and a public key are halves of one pair: sign a probe and verify it. Pure. */
final class KeyPairs {
  private static final byte[] PROBE = "flotilla key pair probe".getBytes(StandardCharsets.US_ASCII);

  private KeyPairs() {}

  static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    var algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return true; // cannot probe; the TLS handshake will tell
    }
    try {
      var signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      var signature = signer.sign();
      var verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
