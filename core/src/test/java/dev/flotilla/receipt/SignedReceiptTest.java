package dev.flotilla.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.Receipt;
import dev.flotilla.model.ReceiptResource;
import dev.flotilla.trust.CanonicalJson;
import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedReceiptTest {
  static final String COMMIT = "3f8495b2c1aa3f8495b2c1aa3f8495b2c1aa3f84";
  static final KeyPair DEVICE = Keys.generate();

  static Receipt receipt(String device, long sequence) {
    var receipt = new Receipt();
    receipt.setDevice(device);
    receipt.setIdentityHash("sha256:" + "ab".repeat(32));
    receipt.setSequence(sequence);
    receipt.setBundleVersion(7L);
    receipt.setBundleDigest("sha256:" + "cd".repeat(32));
    receipt.setFleetCommit(COMMIT);
    receipt.setOutcome("ApplyFailed");
    receipt.setMessage("start unit 'pos.service': failed");
    var resource = new ReceiptResource();
    resource.setKind("unit");
    resource.setName("pos.service");
    resource.setResult("FAILED");
    resource.setReason("start unit 'pos.service': failed (result 'exit-code', ExecMainStatus 3)");
    resource.setUnitResult("exit-code");
    resource.setExitStatus(3L);
    resource.setJournal(List.of("pos: cannot open /var/lib/pos/db"));
    receipt.setResources(List.of(resource));
    receipt.setAgentVersion("flotilla-agent 0.1.0 (commit unknown)");
    receipt.setAt(OffsetDateTime.parse("2026-12-07T10:00:00Z"));
    return receipt;
  }

  @Test
  void verifiesWithTheDeviceKeyAndReadsItsContentBack() throws Exception {
    var raw = ReceiptSigner.sign(receipt("kiosk-1", 5), DEVICE.getPrivate());

    var signed = SignedReceipt.read(raw);
    var verified = signed.verify(DEVICE.getPublic());

    assertThat(signed.hint()).isEqualTo(new ReceiptHint("kiosk-1", COMMIT));
    assertThat(verified.digest()).isEqualTo(Digest.sha256(raw));
    assertThat(verified.receipt()).isEqualTo(receipt("kiosk-1", 5));
    assertThat(new String(raw, StandardCharsets.UTF_8))
        .contains("\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"")
        .contains("\"hint\":\"kiosk-1@" + COMMIT + "\"")
        .contains("\"payloadType\":\"application/vnd.flotilla.receipt.v1+json\"");
  }

  @Test
  void refusesAReceiptSignedByAnotherKey() throws Exception {
    var raw = ReceiptSigner.sign(receipt("kiosk-1", 5), Keys.generate().getPrivate());

    assertThatThrownBy(() -> SignedReceipt.read(raw).verify(DEVICE.getPublic()))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.BAD_SIGNATURE))
        .hasMessageContaining("not signed by the key of device 'kiosk-1' at commit " + COMMIT);
  }

  @Test
  void refusesAReceiptChangedAfterSigning() throws Exception {
    var text = new String(ReceiptSigner.sign(receipt("kiosk-1", 5), DEVICE.getPrivate()), StandardCharsets.UTF_8);
    var payload = text.substring(text.indexOf("\"payload\":\"") + 11, text.indexOf("\",\"payloadType\""));
    var changed = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)
        .replace("ApplyFailed", "Applied");
    var raw = text.replace(payload, Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SignedReceipt.read(raw).verify(DEVICE.getPublic()))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.BAD_SIGNATURE));
  }

  @Test
  void refusesAnOversizedReceiptBeforeParsingIt() {
    var raw = new byte[ReceiptFormat.MAX_BYTES + 1]; // not even JSON: refused for its size alone

    assertThatThrownBy(() -> SignedReceipt.read(raw))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.OVERSIZED))
        .hasMessage("read receipt: it is 32769 bytes, over the cap of 32 KiB (32768 bytes)");
  }

  @Test
  void refusesABundleOfAnotherPayloadType() {
    var raw = new BundleSigner(DEVICE.getPrivate(), "kiosk-1@" + COMMIT)
        .sign(CanonicalJson.encode(receipt("kiosk-1", 5)));

    assertThatThrownBy(() -> SignedReceipt.read(raw))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.MALFORMED))
        .hasMessageContaining("payload type is 'application/vnd.flotilla.bundle.v1+json'");
  }

  @Test
  void refusesContentNamingAnotherDeviceThanItsHint() throws Exception {
    var raw = new BundleSigner(DEVICE.getPrivate(), "kiosk-1@" + COMMIT)
        .sign(CanonicalJson.encode(receipt("kiosk-2", 5)), ReceiptFormat.PAYLOAD_TYPE);

    assertThatThrownBy(() -> SignedReceipt.read(raw).verify(DEVICE.getPublic()))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.WRONG_DEVICE))
        .hasMessageContaining("it names device 'kiosk-2' but is signed as device 'kiosk-1'");
  }

  @Test
  void refusesSignedContentOffItsSchema() throws Exception {
    var bad = receipt("kiosk-1", 5);
    bad.setOutcome("not camel case");
    var raw = ReceiptSigner.sign(bad, DEVICE.getPrivate());

    assertThatThrownBy(() -> SignedReceipt.read(raw).verify(DEVICE.getPublic()))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.MALFORMED))
        .hasMessageContaining("outcome");
  }

  @Test
  void refusesAHintThatIsNoDeviceAndCommit() {
    var raw = new BundleSigner(DEVICE).sign(CanonicalJson.encode(receipt("kiosk-1", 5)), ReceiptFormat.PAYLOAD_TYPE);

    assertThatThrownBy(() -> SignedReceipt.read(raw))
        .isInstanceOfSatisfying(ReceiptException.class, e -> assertThat(e.refusal())
            .isEqualTo(ReceiptRefusal.MALFORMED))
        .hasMessage("read receipt: its key hint is not '<device>@<commit>'");
  }

  @Test
  void labelsAreTheMetricReasons() {
    assertThat(ReceiptRefusal.values()).extracting(ReceiptRefusal::label).containsExactly("oversized", "malformed",
        "bad-signature", "wrong-device", "removed-device", "replayed", "unknown-commit");
  }
}
