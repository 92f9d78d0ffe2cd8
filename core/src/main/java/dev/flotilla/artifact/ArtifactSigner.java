package dev.flotilla.artifact;

import dev.flotilla.model.Artifact;
import dev.flotilla.model.ArtifactSignature;
import dev.flotilla.trust.Keys;
import java.security.KeyPair;
import java.util.Base64;

/**
 * Signs artifacts with an artifact-signer key: ECDSA P-256/SHA-256 over {@link ArtifactStatement#signedBytes()},
 * base64 DER in {@code spec.signature.value}, the key's trust root id in {@code spec.signature.keyId}. Thread-safe.
 */
public final class ArtifactSigner {
  private final KeyPair key;

  public ArtifactSigner(KeyPair key) {
    this.key = key;
  }

  public ArtifactSignature sign(ArtifactStatement statement) {
    var signature = new ArtifactSignature();
    signature.setKeyId(Keys.keyId(key.getPublic()));
    signature.setValue(Base64.getEncoder().encodeToString(Keys.sign(key.getPrivate(), statement.signedBytes())));
    return signature;
  }

  /** Sets {@code spec.signature} of {@code artifact} (replacing any) and returns it. */
  public Artifact sign(Artifact artifact) {
    artifact.getSpec().setSignature(sign(ArtifactStatement.of(artifact)));
    return artifact;
  }
}
