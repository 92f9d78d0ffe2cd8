package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.SealedValue;
import dev.flotilla.secret.SealedSecret;
import dev.flotilla.secret.Sealer;
import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent writes a sealed file by opening it with its key only then, 0600 by default; plans name the secret,
 * never the value; another device's value, a changed one and an old serial put back are refused, unwritten.
 */
class SealedFileAgentTest {
  static final String VALUE = "pos-api-token-Xq81";
  static final String PATH = "/etc/pos/token";

  @TempDir
  Path dir;

  @Test
  void writesTheValueOnlyToTheFileAndPlansTheNameOnly() throws Exception {
    var device = new TestDevice(dir);
    try (var agent = device.agent()) {
      var applied = agent.applyFile(device.signed(bundle(2, sealed(device.deviceKey.getPublic(), "kiosk-1", 1))));

      assertThat(applied.outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(applied.plan().toString()).isEqualTo("+ file /etc/pos/token <sealed pos-token>\n");
      var file = device.host.resolve("etc/pos/token");
      assertThat(Files.readString(file)).isEqualTo(VALUE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(agent.plan().changes()).isEmpty();

      Files.writeString(file, "edited by hand");
      assertThat(agent.plan().toString()).isEqualTo("~ file /etc/pos/token (<sealed pos-token, changed>)\n");
      var corrected = agent.correct().orElseThrow();
      assertThat(corrected.outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(Files.readString(file)).isEqualTo(VALUE);
      assertThat(String.join("\n", device.logLines())).doesNotContain(VALUE);
      assertThat(Files.readString(device.stateDir.resolve("sealed-files.json"))).doesNotContain(VALUE);
    }
  }

  @Test
  void refusesAValueSealedForAnotherDevice() throws Exception {
    var device = new TestDevice(dir);
    try (var agent = device.agent()) {
      var pass = agent.applyFile(device.signed(bundle(2, sealed(Keys.generate().getPublic(), "kiosk-1", 1))));

      assertThat(pass.outcome()).isEqualTo(PassOutcome.APPLY_FAILED);
      assertThat(pass.applied().toString()).contains("open sealed secret 'pos-token': it was sealed to key ")
          .doesNotContain(VALUE);
      assertThat(device.host.resolve("etc/pos/token")).doesNotExist();
    }
  }

  @Test
  void refusesAnOldSerialPutBack() throws Exception {
    var device = new TestDevice(dir);
    var old = sealed(device.deviceKey.getPublic(), "kiosk-1", 1);
    try (var agent = device.agent()) {
      agent.applyFile(device.signed(bundle(2, sealed(device.deviceKey.getPublic(), "kiosk-1", 2))));

      var pass = agent.applyFile(device.signed(bundle(3, old)));

      assertThat(pass.outcome()).isEqualTo(PassOutcome.APPLY_FAILED);
      assertThat(pass.applied().toString()).contains("serial 1 is older than serial 2 already written");
      assertThat(Files.readString(device.host.resolve("etc/pos/token"))).isEqualTo(VALUE);
    }
  }

  @Test
  void refusesATamperedValue() throws Exception {
    var device = new TestDevice(dir);
    var value = sealed(device.deviceKey.getPublic(), "kiosk-1", 1);
    var bytes = java.util.Base64.getDecoder().decode(value.getCiphertext());
    bytes[bytes.length - 1] ^= 1;
    value.setCiphertext(java.util.Base64.getEncoder().encodeToString(bytes));
    try (var agent = device.agent()) {
      var pass = agent.applyFile(device.signed(bundle(2, value)));

      assertThat(pass.outcome()).isEqualTo(PassOutcome.APPLY_FAILED);
      assertThat(pass.applied().toString()).contains("does not open with this device's key");
      assertThat(device.host.resolve("etc/pos/token")).doesNotExist();
    }
  }

  @Test
  void noOutputChannelShowsTheValue() throws Exception {
    var device = new TestDevice(dir);
    var channels = new StringBuilder();
    try (var agent = device.agent()) {
      var applied = agent.applyFile(device.signed(bundle(2, sealed(device.deviceKey.getPublic(), "kiosk-1", 2))));
      Files.writeString(device.host.resolve("etc/pos/token"), "edited by hand");
      var drifted = agent.correct().orElseThrow();
      var refused = agent.applyFile(device.signed(bundle(3, sealed(device.deviceKey.getPublic(), "kiosk-1", 1))));
      for (var pass : java.util.List.of(applied, drifted, refused)) {
        channels.append(pass).append(pass.plan()).append(pass.applied()).append(new String(StatusReports.of(
            "kiosk-1", pass, 1, java.time.Instant.now(), bundle(2, null).getState(), null, null),
            StandardCharsets.UTF_8));
      }
      channels.append(agent.plan());
      var metrics = new java.io.ByteArrayOutputStream();
      io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
          .write(metrics, device.metrics.registry().scrape());
      channels.append(metrics.toString(StandardCharsets.UTF_8)).append(String.join("\n", device.logLines()));
      try (var state = Files.walk(device.stateDir)) {
        // sealed-files.json keeps the digest of what was written, beside the file itself: not an output
        for (var file : state.filter(f -> Files.isRegularFile(f) && !f.endsWith("sealed-files.json")).toList()) {
          channels.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(channels.toString()).contains("pos-token").contains("serial 1 is older")
        .doesNotContain(VALUE).doesNotContain(dev.flotilla.digest.Digest.sha256(VALUE.getBytes(
            StandardCharsets.UTF_8)).hex());
  }

  static SealedValue sealed(PublicKey key, String device, long serial) {
    SealedSecret sealed = Sealer.seal("pos-token", device, key, serial, VALUE.getBytes(StandardCharsets.UTF_8));
    var value = new SealedValue();
    value.setScheme(SealedSecret.SCHEME);
    value.setKeyFingerprint(sealed.keyFingerprint());
    value.setSerial(serial);
    value.setCiphertext(sealed.ciphertextBase64());
    return value;
  }

  static BundlePayload bundle(long version, SealedValue value) {
    var payload = TestDevice.payload(version, Map.of(), Map.of());
    var file = new FileSpec();
    file.setPath(PATH);
    file.setSecret("pos-token");
    file.setSealed(value);
    payload.getState().getFiles().add(file);
    return payload;
  }
}
