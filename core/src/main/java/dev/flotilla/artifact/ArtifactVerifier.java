package dev.flotilla.artifact;

import dev.flotilla.model.Artifact;
import dev.flotilla.model.ArtifactSignature;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an artifact's signatures against a trust root, failing closed: signed at all → every signing key is in
 * the root → and is an artifact-signer → each signature verifies over {@link ArtifactStatement#signedBytes()} →
 * at least the artifact-signer role's threshold of distinct keys signed. The artifact file carries one signature,
 * so a root whose artifact-signer threshold is above 1 refuses every artifact (with a message that says so). The
 * root's own signatures and expiry are the caller's to check ({@code RootVerifier}). Immutable; thread-safe.
 */
public final class ArtifactVerifier {
  private final long version;
  private final Map<String, PublicKey> byId;
  private final Set<String> signers = new HashSet<>();
  private final int threshold;

  /** Reads the root's keys once; reuse one verifier for every artifact checked against the same root. */
  public ArtifactVerifier(TrustRoot root) {
    version = root.getSigned().getVersion();
    byId = TrustRoots.byId(root);
    TrustRoots.keys(root, KeyRole.ARTIFACT_SIGNER).forEach(k -> signers.add(Keys.keyId(k)));
    threshold = TrustRoots.threshold(root, KeyRole.ARTIFACT_SIGNER);
  }

  /** Returns the ids of the keys that signed; throws with the reason when the artifact is not trusted. */
  public List<String> verify(Artifact artifact) throws TrustException {
    var signature = artifact.getSpec().getSignature();
    return verify(ArtifactStatement.of(artifact), signature == null ? List.of() : List.of(signature));
  }

  public List<String> verify(ArtifactStatement statement, List<ArtifactSignature> signatures) throws TrustException {
    if (signatures.isEmpty()) {
      throw refuse(Refusal.UNSIGNED, statement, "it is not signed");
    }
    var bytes = statement.signedBytes();
    var valid = new LinkedHashSet<String>();
    for (var signature : signatures) {
      var id = signature.getKeyId();
      var key = byId.get(id);
      if (key == null) {
        throw refuse(Refusal.UNKNOWN_KEY, statement, "signed by key " + abbreviate(id) + ", which trust root version "
            + version + " does not list");
      }
      if (!signers.contains(id)) {
        throw refuse(Refusal.WRONG_ROLE, statement, "signed by key " + abbreviate(id) + ", which trust root version "
            + version + " lists but not as an artifact-signer");
      }
      if (!Keys.verify(key, bytes, decode(signature.getValue()))) {
        throw refuse(Refusal.BAD_SIGNATURE, statement, "the signature does not match its name, version, type, "
            + "digest, size and SBOM digest; they were changed after signing");
      }
      valid.add(id);
    }
    if (valid.size() < threshold) {
      throw refuse(Refusal.BELOW_THRESHOLD, statement, valid.size() + " valid signature(s) of artifact-signer keys, "
          + threshold + " needed by trust root version " + version);
    }
    return List.copyOf(valid);
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException | NullPointerException e) {
      return new byte[0];
    }
  }

  private static String abbreviate(String id) {
    return id == null ? "''" : id.length() > 16 ? id.substring(0, 16) : id;
  }

  private static TrustException refuse(Refusal refusal, ArtifactStatement statement, String why) {
    return new TrustException(refusal, "verify artifact '" + statement.name() + "' version '" + statement.version()
        + "': " + why);
  }
}
