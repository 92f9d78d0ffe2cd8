package dev.flotilla.artifact;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flotilla.bundle.BundleFormat;
import dev.flotilla.model.Artifact;
import dev.flotilla.trust.CanonicalJson;

/**
 * What an artifact signature covers: the artifact's identity and content, never where it is downloaded from.
 *
 * <p>The signed bytes are the DSSE v1 pre-authentication encoding {@code PAE(PAYLOAD_TYPE, statement)}, where the
 * statement is the canonical JSON ({@link CanonicalJson}: keys sorted, no whitespace, UTF-8) of
 * <pre>
 * {"apiVersion":"flotilla.dev/v1","digest":"sha256:…","kind":"ArtifactStatement","name":"kiosk-ui",
 *  "sbomDigest":"sha256:…","size":126976,"type":"tarball","version":"1.5.0"}
 * </pre>
 * ({@code sbomDigest} only when the artifact names an SBOM). So a signature binds the bytes (digest, size) to one
 * name, version and packaging: it cannot be moved to another version (a downgrade dressed as an upgrade), and the
 * payload type keeps it from ever verifying as a bundle or trust root signature. URLs, provenance and the tenant
 * are not signed: integrity comes from the digest, not from where the bytes are fetched. Pure value.
 */
public record ArtifactStatement(String name, String version, String type, String digest, long size, String sbomDigest) {
  public static final String PAYLOAD_TYPE = "application/vnd.flotilla.artifact.v1+json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public static ArtifactStatement of(Artifact artifact) {
    var spec = artifact.getSpec();
    return new ArtifactStatement(artifact.getMetadata().getName(), spec.getVersion(),
        spec.getType() == null ? null : spec.getType().value(), spec.getDigest(),
        spec.getSize() == null ? 0 : spec.getSize(), spec.getSbom() == null ? null : spec.getSbom().getDigest());
  }

  /** The canonical JSON statement. */
  public byte[] statement() {
    var node = JSON.createObjectNode()
        .put("apiVersion", "flotilla.dev/v1")
        .put("kind", "ArtifactStatement")
        .put("name", name)
        .put("version", version)
        .put("type", type)
        .put("digest", digest)
        .put("size", size);
    if (sbomDigest != null) {
      node.put("sbomDigest", sbomDigest);
    }
    return CanonicalJson.encode(node);
  }

  /** The exact bytes the ECDSA signature covers. */
  public byte[] signedBytes() {
    return BundleFormat.pae(PAYLOAD_TYPE, statement());
  }
}
