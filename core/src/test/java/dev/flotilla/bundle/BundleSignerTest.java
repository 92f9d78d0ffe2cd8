package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.trust.Keys;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BundleSignerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final Fixtures fleet = new Fixtures();

  @Test
  void writesTheBundleJacksonWritesForTheSameTree() throws Exception {
    var payload = BundlePayloads.encode(Fixtures.payload(7));
    for (var type : new String[] {BundleFormat.PAYLOAD_TYPE, "odd \"type\"\\ \u00e9\u0001"}) {
      var bundle = new BundleSigner(fleet.signer).sign(payload, type);

      var sig = JSON.readTree(bundle).at("/dsseEnvelope/signatures/0/sig").asText();
      assertThat(bundle).isEqualTo(jacksonBundle(payload, type, sig));
      assertThat(Keys.verify(fleet.signer.getPublic(), BundleFormat.pae(type, payload),
          Base64.getDecoder().decode(sig))).isTrue();
    }
  }

  @Test
  void stampedPayloadIsTheEncodingOfThePayloadWithItsStampsSet() {
    var stamped = Fixtures.payload(1_764_620_000L);
    stamped.setIssuedAt(Instant.parse("2026-12-01T10:00:00Z").atOffset(java.time.ZoneOffset.UTC)); // zero seconds
    var rendered = Fixtures.payload(1);
    rendered.setVersion(null);
    rendered.setIssuedAt(null);
    rendered.setExpiresAt(null);
    rendered.setSourceCommit(null);

    assertThat(new String(BundlePayloads.stamp(BundlePayloads.encode(rendered), stamped.getVersion(),
        stamped.getIssuedAt().toInstant(), stamped.getExpiresAt().toInstant(), stamped.getSourceCommit())))
        .isEqualTo(new String(BundlePayloads.encode(stamped)));
  }

  /** The bundle as the signer wrote it before it wrote the bytes itself: a Jackson tree. */
  private byte[] jacksonBundle(byte[] payload, String type, String sig) throws Exception {
    var bundle = JSON.createObjectNode();
    bundle.put("mediaType", BundleFormat.MEDIA_TYPE);
    bundle.putObject("verificationMaterial").putObject("publicKey").put("hint", Keys.hint(fleet.signer.getPublic()));
    var envelope = bundle.putObject("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString(payload));
    envelope.put("payloadType", type);
    envelope.putArray("signatures").addObject().put("sig", sig).put("keyid", "");
    return JSON.writeValueAsBytes(bundle);
  }
}
