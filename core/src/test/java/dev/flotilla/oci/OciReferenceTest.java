package dev.flotilla.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.digest.Digest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciReferenceTest {
  private static final String HEX = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

  @Test
  void readsAndWritesDigestReferences() {
    var ref = OciReference.parse("oci://registry.example.com:5000/team/kiosk-ui@sha256:" + HEX);

    assertThat(ref.registry()).isEqualTo("registry.example.com:5000");
    assertThat(ref.repository()).isEqualTo("team/kiosk-ui");
    assertThat(ref.digest()).isEqualTo(new Digest(HEX));
    assertThat(ref).hasToString("oci://registry.example.com:5000/team/kiosk-ui@sha256:" + HEX);
    assertThat(OciReference.Repository.parse("oci://127.0.0.1:5000/a/b").at(ref.digest()).repository())
        .isEqualTo("a/b");
  }

  @Test
  void refusesTagsMissingDigestsAndMalformedNamesWithTheFix() {
    assertThatThrownBy(() -> OciReference.parse("oci://registry.example.com/kiosk-ui:1.4.0"))
        .hasMessageContaining("pin it by digest");
    assertThatThrownBy(() -> OciReference.parse("oci://registry.example.com/kiosk-ui@sha256:abc"))
        .hasMessageContaining("64 lowercase hex");
    assertThatThrownBy(() -> OciReference.parse("oci://registry.example.com/Kiosk@sha256:" + HEX))
        .hasMessageContaining("use lowercase letters");
    assertThatThrownBy(() -> OciReference.parse("https://registry.example.com/kiosk@sha256:" + HEX))
        .hasMessageContaining("oci://registry.example.com/team/name");
    assertThatThrownBy(() -> OciReference.Repository.parse("oci://reg..istry-/x"))
        .hasMessageContaining("not a host");
    assertThat(OciReference.isOci("oci://x/y")).isTrue();
    assertThat(OciReference.isOci("https://x/y")).isFalse();
  }

  @Test
  void manifestRoundTripsAndFindsItsLayersByMediaType() throws Exception {
    var content = Descriptor.of(MediaTypes.CONTENT, new byte[] {1, 2, 3});
    var sbom = Descriptor.of(MediaTypes.SBOM, "{}".getBytes());
    var manifest = new Manifest(MediaTypes.ARTIFACT, List.of(content, sbom), Map.of("a", "b"));

    var read = Manifest.parse(manifest.bytes());

    assertThat(read).isEqualTo(manifest);
    assertThat(read.layer(MediaTypes.SBOM)).isEqualTo(sbom);
    assertThat(read.layer("application/other")).isNull();
    assertThat(new String(manifest.bytes())).contains("\"config\":{\"mediaType\":\"" + MediaTypes.EMPTY
        + "\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}");
  }

  @Test
  void refusesManifestsThatAreNotOciImageManifests() {
    assertThatThrownBy(() -> Manifest.parse("not json".getBytes())).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> Manifest.parse("{\"schemaVersion\":1}".getBytes()))
        .hasMessageContaining("schemaVersion 2");
    assertThatThrownBy(() -> Manifest.parse(
        "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"md5:1\",\"size\":1}]}".getBytes()))
        .hasMessageContaining("layer 0");
  }

  @Test
  void readsBasicAndBearerChallenges() {
    var bearer = Challenge.parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry\","
        + "scope=\"repository:team/kiosk:pull\"");
    assertThat(bearer.bearer()).isTrue();
    assertThat(bearer.parameters()).containsEntry("realm", "https://auth.example.com/token")
        .containsEntry("scope", "repository:team/kiosk:pull");
    assertThat(Challenge.parse("Basic realm=\"x\"").basic()).isTrue();
    assertThat(Challenge.parse(null).scheme()).isEmpty();
  }

  @Test
  void accessNeverShowsThePassword() {
    var access = new RegistryAccess("r:5000", true, null, "ci", "s3cret");
    assertThat(access.toString()).doesNotContain("s3cret").contains("as ci");
    assertThat(access.basic()).isEqualTo("Basic Y2k6czNjcmV0");
    assertThat(RegistryAccess.anonymous("r").basic()).isNull();
  }
}
