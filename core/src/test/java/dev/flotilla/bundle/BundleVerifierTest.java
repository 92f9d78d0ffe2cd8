package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final Fixtures fleet = new Fixtures();
  final BundleVerifier verifier = new BundleVerifier(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));

  TrustException refusal(byte[] bundle, TrustRoot root, Expectation expect) {
    return catchThrowableOfType(TrustException.class, () -> verifier.verify(bundle, root, expect));
  }

  TrustException refusal(byte[] bundle) {
    return refusal(bundle, fleet.trustRoot, Fixtures.expectation(0));
  }

  @Test
  void acceptsBundleSignedByTheBundleSigner() throws Exception {
    var verified = verifier.verify(fleet.signed(Fixtures.payload(7)), fleet.trustRoot, Fixtures.expectation(6));

    assertThat(verified.payload().getVersion()).isEqualTo(7);
    assertThat(verified.payload().getState().getSysctl()).containsEntry("net.ipv4.ip_forward", "1");
    assertThat(BundlePayloads.encode(verified.payload())).isEqualTo(BundlePayloads.encode(Fixtures.payload(7)));
  }

  @Test
  void refusesABundleOverTheCap() {
    var e = refusal(new byte[BundleFormat.MAX_BYTES + 1]);

    assertThat(e.refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(e).hasMessage("verify bundle: it is 16777217 bytes, over the cap of 16 MiB (16777216 bytes)");
  }

  @Test
  void refusesAPayloadThatIsNotPlainBase64() {
    var escaped = new String(fleet.signed(Fixtures.payload(1)), StandardCharsets.UTF_8)
        .replaceFirst("\"payload\":\"(.)", "\"payload\":\"\\\\u0041$1");

    var e = refusal(escaped.getBytes(StandardCharsets.UTF_8));
    assertThat(e.refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(e).hasMessage("verify bundle: the payload is not base64");
  }

  @Test
  void refusesALongStringOutsideThePayloadBeforeHoldingIt() throws Exception {
    var bundle = (ObjectNode) JSON.readTree(fleet.signed(Fixtures.payload(1)));
    ((ObjectNode) bundle.get("verificationMaterial").get("publicKey")).put("hint", "x".repeat(1 << 20));

    var e = refusal(JSON.writeValueAsBytes(bundle));
    assertThat(e.refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(e.getMessage()).startsWith("verify bundle: not JSON").contains("String value length");
  }

  @Test
  void refusesUnsignedBundle() throws Exception {
    var bundle = (ObjectNode) JSON.readTree(fleet.signed(Fixtures.payload(1)));
    ((ObjectNode) bundle.get("dsseEnvelope")).putArray("signatures");

    var e = refusal(JSON.writeValueAsBytes(bundle));
    assertThat(e.refusal()).isEqualTo(Refusal.UNSIGNED);
    assertThat(e).hasMessage("verify bundle: it carries no signature");
  }

  @Test
  void refusesBundleChangedAfterSigning() throws Exception {
    var bundle = (ObjectNode) JSON.readTree(fleet.signed(Fixtures.payload(1)));
    var envelope = (ObjectNode) bundle.get("dsseEnvelope");
    var payload = new String(Base64.getDecoder().decode(envelope.get("payload").asText()), StandardCharsets.UTF_8)
        .replace("\"net.ipv4.ip_forward\":\"1\"", "\"net.ipv4.ip_forward\":\"0\"");
    envelope.put("payload", Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)));

    assertThat(refusal(JSON.writeValueAsBytes(bundle)).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
  }

  @Test
  void refusesKeyNotInTheRoot() {
    var stranger = new BundleSigner(dev.flotilla.trust.Keys.generate()).sign(BundlePayloads.encode(Fixtures.payload(1)));

    assertThat(refusal(stranger).refusal()).isEqualTo(Refusal.UNKNOWN_KEY);
  }

  @Test
  void refusesRootKeyUsedAsBundleSigner() {
    var byRootKey = new BundleSigner(fleet.root).sign(BundlePayloads.encode(Fixtures.payload(1)));

    var e = refusal(byRootKey);
    assertThat(e.refusal()).isEqualTo(Refusal.WRONG_ROLE);
    assertThat(e.getMessage()).contains("not as a bundle-signer");
  }

  @Test
  void refusesChangedPayloadType() {
    var other = new BundleSigner(fleet.signer).sign(BundlePayloads.encode(Fixtures.payload(1)), "application/json");

    assertThat(refusal(other).refusal()).isEqualTo(Refusal.PAYLOAD_TYPE);
  }

  @Test
  void refusesPayloadThatBreaksTheSchemaOnlyAfterItsSignatureVerifies() {
    var payload = Fixtures.payload(1);
    payload.setKind("Bundle");
    var bytes = new String(BundlePayloads.encode(payload), StandardCharsets.UTF_8).replace("\"kind\":\"Bundle\"",
        "\"kind\":\"Bundle\",\"extra\":true");
    var bundle = new BundleSigner(fleet.signer).sign(bytes.getBytes(StandardCharsets.UTF_8));

    assertThat(refusal(bundle).refusal()).isEqualTo(Refusal.INVALID_PAYLOAD);
  }

  @Test
  void refusesBundleForAnotherDevice() {
    var payload = Fixtures.payload(1);
    payload.setDevice("kiosk-2");

    var e = refusal(fleet.signed(payload));
    assertThat(e.refusal()).isEqualTo(Refusal.WRONG_DEVICE);
    assertThat(e).hasMessage("verify bundle: made for device 'kiosk-2', this is 'kiosk-1'");
  }

  @Test
  void refusesBundleForAnotherFleet() {
    var payload = Fixtures.payload(1);
    payload.setFleet("other-fleet");

    assertThat(refusal(fleet.signed(payload)).refusal()).isEqualTo(Refusal.WRONG_FLEET);
  }

  @Test
  void refusesBundleForAnotherMachine() {
    var payload = Fixtures.payload(1);
    payload.setIdentityHash("sha256:" + "cd".repeat(32));

    var e = refusal(fleet.signed(payload));
    assertThat(e.refusal()).isEqualTo(Refusal.IDENTITY_MISMATCH);
    assertThat(e.getMessage()).contains("was the disk cloned");
  }

  @Test
  void refusesReplayOfTheAcceptedVersionAndRollbackToAnOlderOne() {
    assertThat(refusal(fleet.signed(Fixtures.payload(5)), fleet.trustRoot, Fixtures.expectation(5)).refusal())
        .isEqualTo(Refusal.REPLAY);
    var older = refusal(fleet.signed(Fixtures.payload(4)), fleet.trustRoot, Fixtures.expectation(5));
    assertThat(older.refusal()).isEqualTo(Refusal.REPLAY);
    assertThat(older).hasMessage("verify bundle: version 4 is not newer than version 5, already accepted");
  }

  @Test
  void refusesExpiredBundle() {
    var payload = Fixtures.payload(1);
    payload.setExpiresAt(Fixtures.NOW.minusSeconds(1).atOffset(ZoneOffset.UTC));

    assertThat(refusal(fleet.signed(payload)).refusal()).isEqualTo(Refusal.EXPIRED);
  }

  @Test
  void refusesEverythingUnderAnExpiredRoot() {
    var expired = fleet.root(Instant.parse("2026-11-01T00:00:00Z"));

    var e = refusal(fleet.signed(Fixtures.payload(1)), expired, Fixtures.expectation(0));
    assertThat(e.refusal()).isEqualTo(Refusal.ROOT_EXPIRED);
  }

  @Test
  void refusesTruncatedDownload() {
    var bundle = fleet.signed(Fixtures.payload(1));

    var e = refusal(Arrays.copyOf(bundle, bundle.length / 2));
    assertThat(e.refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(e.getMessage()).startsWith("verify bundle: not JSON (truncated or garbage download?)");
  }

  @Test
  void refusesGarbageAndEmptyDownloads() {
    assertThat(refusal(new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00}).refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(refusal(new byte[0]).refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(refusal("{\"mediaType\":\"x\"}".getBytes(StandardCharsets.UTF_8)).refusal())
        .isEqualTo(Refusal.MALFORMED);
  }
}
