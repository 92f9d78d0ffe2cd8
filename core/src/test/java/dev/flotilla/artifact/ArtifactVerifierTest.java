package dev.flotilla.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.model.Artifact;
import dev.flotilla.model.ArtifactSpec;
import dev.flotilla.model.ArtifactType;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.Metadata;
import dev.flotilla.model.SbomRef;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactVerifierTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  final KeyPair rootKey = Keys.generate();
  final KeyPair bundleKey = Keys.generate();
  final KeyPair artifactKey = Keys.generate();
  final TrustRoot root = root(1);

  TrustRoot root(int artifactThreshold) {
    return TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.parse("2030-01-01T00:00:00Z"),
        Map.of(KeyRole.ROOT, List.of(rootKey.getPublic()), KeyRole.BUNDLE_SIGNER, List.of(bundleKey.getPublic()),
            KeyRole.ARTIFACT_SIGNER, List.of(artifactKey.getPublic())),
        Map.of(KeyRole.ARTIFACT_SIGNER, artifactThreshold)), List.of(rootKey));
  }

  static Artifact artifact() {
    var metadata = new Metadata();
    metadata.setName("kiosk-ui");
    var spec = new ArtifactSpec();
    spec.setVersion("1.5.0");
    spec.setType(ArtifactType.TARBALL);
    spec.setDigest(DIGEST);
    spec.setSize(4096L);
    spec.setUrls(List.of(java.net.URI.create("https://artifacts.example.com/kiosk-ui-1.5.0.tar.gz")));
    var sbom = new SbomRef();
    sbom.setDigest("sha256:" + "cd".repeat(32));
    spec.setSbom(sbom);
    var artifact = new Artifact();
    artifact.setApiVersion("flotilla.dev/v1");
    artifact.setKind("Artifact");
    artifact.setMetadata(metadata);
    artifact.setSpec(spec);
    return artifact;
  }

  Artifact signed() {
    return new ArtifactSigner(artifactKey).sign(artifact());
  }

  TrustException refusal(Artifact artifact, TrustRoot trustRoot) {
    return catchThrowableOfType(TrustException.class, () -> new ArtifactVerifier(trustRoot).verify(artifact));
  }

  @Test
  void signsTheCanonicalStatementInADssePae() {
    var statement = ArtifactStatement.of(artifact());

    assertThat(new String(statement.statement(), StandardCharsets.UTF_8)).isEqualTo("{\"apiVersion\":\"flotilla.dev/v1\","
        + "\"digest\":\"" + DIGEST + "\",\"kind\":\"ArtifactStatement\",\"name\":\"kiosk-ui\",\"sbomDigest\":\"sha256:"
        + "cd".repeat(32) + "\",\"size\":4096,\"type\":\"tarball\",\"version\":\"1.5.0\"}");
    assertThat(new String(statement.signedBytes(), StandardCharsets.UTF_8))
        .startsWith("DSSEv1 41 application/vnd.flotilla.artifact.v1+json 294 {\"apiVersion\"");
  }

  @Test
  void acceptsArtifactSignedByTheArtifactSigner() throws TrustException {
    assertThat(new ArtifactVerifier(root).verify(signed())).containsExactly(Keys.keyId(artifactKey.getPublic()));
  }

  @Test
  void urlsProvenanceAndTenantAreNotSigned() throws TrustException {
    var artifact = signed();
    artifact.getSpec().setUrls(List.of(java.net.URI.create("https://mirror.example.com/kiosk-ui.tar.gz")));
    artifact.getMetadata().setTenant("acme");

    assertThat(new ArtifactVerifier(root).verify(artifact)).hasSize(1);
  }

  @Test
  void refusesUnsignedArtifact() {
    var e = refusal(artifact(), root);

    assertThat(e.refusal()).isEqualTo(Refusal.UNSIGNED);
    assertThat(e).hasMessage("verify artifact 'kiosk-ui' version '1.5.0': it is not signed");
  }

  @Test
  void refusesKeyTheRootDoesNotList() {
    var stranger = new ArtifactSigner(Keys.generate()).sign(artifact());

    var e = refusal(stranger, root);
    assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_KEY);
    assertThat(e.getMessage()).contains("which trust root version 1 does not list");
  }

  @Test
  void refusesBundleSignerKeyUsedForAnArtifact() {
    var e = refusal(new ArtifactSigner(bundleKey).sign(artifact()), root);

    assertThat(e.refusal()).isEqualTo(Refusal.WRONG_ROLE);
    assertThat(e.getMessage()).endsWith("lists but not as an artifact-signer");
  }

  @Test
  void refusesEveryChangeToASignedField() {
    var digest = signed();
    digest.getSpec().setDigest("sha256:" + "ef".repeat(32));
    var version = signed();
    version.getSpec().setVersion("1.6.0");
    var name = signed();
    name.getMetadata().setName("pos-terminal");
    var size = signed();
    size.getSpec().setSize(4097L);
    var type = signed();
    type.getSpec().setType(ArtifactType.BINARY);
    var sbom = signed();
    sbom.getSpec().setSbom(null);

    for (var changed : List.of(digest, version, name, size, type, sbom)) {
      assertThat(refusal(changed, root).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
    }
    assertThat(refusal(version, root)).hasMessage("verify artifact 'kiosk-ui' version '1.6.0': the signature does not"
        + " match its name, version, type, digest, size and SBOM digest; they were changed after signing");
  }

  @Test
  void refusesGarbageSignatureValue() {
    var artifact = signed();
    artifact.getSpec().getSignature().setValue("bm90IGEgc2lnbmF0dXJl");

    assertThat(refusal(artifact, root).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
  }

  @Test
  void refusesFewerSignaturesThanTheThreshold() {
    var e = refusal(signed(), root(2));

    assertThat(e.refusal()).isEqualTo(Refusal.BELOW_THRESHOLD);
    assertThat(e).hasMessage("verify artifact 'kiosk-ui' version '1.5.0': 1 valid signature(s) of artifact-signer"
        + " keys, 2 needed by trust root version 1");
  }
}
