package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sigstore project's own verifier, the npm package {@code @sigstore/verify} on Node.js, accepts our bundles as
 * Sigstore bundles v0.3 with a DSSE envelope and a public-key hint, and refuses them changed after signing: field
 * names, hint encoding, PAE and media type are what the ecosystem expects. The script and its locked dependencies
 * are in {@code src/test/node/sigstore-verify}; {@code npm ci} runs there first if its {@code node_modules} is missing.
 */
class SigstoreJsCrossCheckIT {
  static final Path VERIFIER = Path.of(System.getProperty("basedir", "")).resolve("src/test/node/sigstore-verify");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SIGNATURE_ERROR = "refused: SIGNATURE_ERROR: signature verification failed";

  @TempDir
  Path dir;
  final Fixtures fleet = new Fixtures();
  final BundleVerifier ours = new BundleVerifier(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));

  record Result(int exit, String output) {}

  @BeforeAll
  static void installVerifier() throws Exception {
    if (!Files.isDirectory(VERIFIER.resolve("node_modules/@sigstore/verify"))) {
      var npm = run(VERIFIER, "npm", "ci", "--no-audit", "--no-fund");
      assertThat(npm.exit()).as("npm ci in " + VERIFIER + ": " + npm.output()).isZero();
    }
  }

  static Result run(Path workDir, String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("run '" + command[0] + "': not found on PATH; install Node.js 20.17 or newer with npm",
          e);
    }
    var output = new String(process.getInputStream().readAllBytes()).strip();
    return new Result(process.waitFor(), output);
  }

  Result npmVerify(byte[] bundle, PublicKey key) throws Exception {
    Files.write(dir.resolve("bundle.json"), bundle);
    Files.writeString(dir.resolve("key.pem"), Keys.publicPem(key));
    return run(dir, "node", VERIFIER.resolve("verify.mjs").toAbsolutePath().toString(), "bundle.json", "key.pem",
        Keys.hint(key));
  }

  Refusal oursRefuse(byte[] bundle) {
    return catchThrowableOfType(TrustException.class,
        () -> ours.verify(bundle, fleet.trustRoot, Fixtures.expectation(0))).refusal();
  }

  static ObjectNode envelope(ObjectNode bundle) {
    return (ObjectNode) bundle.get("dsseEnvelope");
  }

  ObjectNode signedBundle() throws IOException {
    return (ObjectNode) JSON.readTree(fleet.signed(Fixtures.payload(1)));
  }

  @Test
  void sigstoreJsVerifiesOurBundle() throws Exception {
    var bundle = fleet.signed(Fixtures.payload(1));
    var digest = MessageDigest.getInstance("SHA-256").digest(BundlePayloads.encode(Fixtures.payload(1)));

    var result = npmVerify(bundle, fleet.signer.getPublic());

    assertThat(result).isEqualTo(new Result(0, "verified: mediaType=" + BundleFormat.MEDIA_TYPE + " payloadType="
        + BundleFormat.PAYLOAD_TYPE + " hint=" + Keys.hint(fleet.signer.getPublic()) + " payloadSha256="
        + HexFormat.of().formatHex(digest)));
    assertThat(ours.verify(bundle, fleet.trustRoot, Fixtures.expectation(0)).payload().getVersion()).isEqualTo(1);
  }

  @Test
  void sigstoreJsRefusesTamperedPayload() throws Exception {
    var bundle = signedBundle();
    envelope(bundle).put("payload", Base64.getEncoder().encodeToString(BundlePayloads.encode(Fixtures.payload(2))));
    var tampered = JSON.writeValueAsBytes(bundle);

    assertThat(npmVerify(tampered, fleet.signer.getPublic())).isEqualTo(new Result(1, SIGNATURE_ERROR));
    assertThat(oursRefuse(tampered)).isEqualTo(Refusal.BAD_SIGNATURE);
  }

  @Test
  void sigstoreJsRefusesChangedPayloadType() throws Exception {
    var bundle = signedBundle();
    envelope(bundle).put("payloadType", "application/vnd.in-toto+json");
    var changed = JSON.writeValueAsBytes(bundle);

    assertThat(npmVerify(changed, fleet.signer.getPublic())).isEqualTo(new Result(1, SIGNATURE_ERROR));
    assertThat(oursRefuse(changed)).isEqualTo(Refusal.PAYLOAD_TYPE);
  }

  @Test
  void sigstoreJsRefusesSignatureCheckedWithAnotherKey() throws Exception {
    var stranger = Keys.generate().getPublic();
    var bundle = signedBundle();
    ((ObjectNode) bundle.get("verificationMaterial").get("publicKey")).put("hint", Keys.hint(stranger));
    var renamed = JSON.writeValueAsBytes(bundle);

    assertThat(npmVerify(renamed, stranger)).isEqualTo(new Result(1, SIGNATURE_ERROR));
    assertThat(oursRefuse(renamed)).isEqualTo(Refusal.UNKNOWN_KEY);
  }

  @Test
  void sigstoreJsFindsNoKeyForTheHintOfAnotherKey() throws Exception {
    var result = npmVerify(fleet.signed(Fixtures.payload(1)), Keys.generate().getPublic());

    assertThat(result).isEqualTo(new Result(1, "refused: PUBLIC_KEY_ERROR: key not found: "
        + Keys.hint(fleet.signer.getPublic())));
  }

  @Test
  void sigstoreJsRefusesEnvelopeWithoutSignature() throws Exception {
    var bundle = signedBundle();
    envelope(bundle).putArray("signatures");
    var unsigned = JSON.writeValueAsBytes(bundle);

    assertThat(npmVerify(unsigned, fleet.signer.getPublic()))
        .isEqualTo(new Result(1, "refused: ValidationError: invalid bundle [\"content.dsseEnvelope.signatures\"]"));
    assertThat(oursRefuse(unsigned)).isEqualTo(Refusal.UNSIGNED);
  }
}
