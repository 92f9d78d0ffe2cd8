package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.model.KeyRole;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our signatures verify with OpenSSL, and OpenSSL's verify with us: the DSSE bytes are what we say they are. */
class OpensslCrossCheckIT {
  @TempDir
  Path dir;

  static String run(Path dir, String... command) throws Exception {
    var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }

  @Test
  void opensslVerifiesOurBundleSignatureOverThePae() throws Exception {
    var fleet = new Fixtures();
    var bundle = new ObjectMapper().readTree(fleet.signed(Fixtures.payload(1)));
    var envelope = bundle.get("dsseEnvelope");
    var payload = Base64.getDecoder().decode(envelope.get("payload").asText());
    Files.write(dir.resolve("pae.bin"), BundleFormat.pae(envelope.get("payloadType").asText(), payload));
    Files.write(dir.resolve("sig.der"), Base64.getDecoder().decode(envelope.get("signatures").get(0).get("sig").asText()));
    Files.writeString(dir.resolve("pub.pem"), Keys.publicPem(fleet.signer.getPublic()));

    assertThat(run(dir, "openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "pae.bin"))
        .contains("Verified OK");
  }

  @Test
  void weAcceptABundleSignedByOpenssl() throws Exception {
    run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
    run(dir, "openssl", "ec", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    var signerKey = Keys.readPublic(dir.resolve("pub.pem"));
    var fleet = new Fixtures();
    var root = TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Fixtures.NOW.plusSeconds(86400),
        Map.of(KeyRole.ROOT, List.of(fleet.root.getPublic()), KeyRole.BUNDLE_SIGNER, List.of(signerKey)), Map.of()),
        List.of(fleet.root));
    var payload = BundlePayloads.encode(Fixtures.payload(3));
    Files.write(dir.resolve("pae.bin"), BundleFormat.pae(BundleFormat.PAYLOAD_TYPE, payload));
    run(dir, "openssl", "dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "pae.bin");
    var mapper = new ObjectMapper();
    var bundle = mapper.createObjectNode().put("mediaType", BundleFormat.MEDIA_TYPE);
    bundle.putObject("verificationMaterial").putObject("publicKey").put("hint", Keys.hint(signerKey));
    var envelope = bundle.putObject("dsseEnvelope").put("payload", Base64.getEncoder().encodeToString(payload))
        .put("payloadType", BundleFormat.PAYLOAD_TYPE);
    envelope.putArray("signatures").addObject()
        .put("sig", Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("sig.der"))));

    var verified = new BundleVerifier(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
        .verify(mapper.writeValueAsBytes(bundle), root, Fixtures.expectation(2));
    assertThat(verified.payload().getVersion()).isEqualTo(3);
  }
}
