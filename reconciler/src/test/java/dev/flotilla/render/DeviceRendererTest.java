package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.model.DriftMode;
import dev.flotilla.preview.FleetRender;
import dev.flotilla.trust.CanonicalJson;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders the golden tests' valid base fleet with a few files changed. */
class DeviceRendererTest {
  static final Path BASE = Path.of("src/test/resources/checks/_base");
  static final FleetValidator VALIDATOR =
      new FleetValidator(Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC));

  @TempDir
  Path fleet;

  @BeforeEach
  void copyBase() throws IOException {
    dev.flotilla.validate.FleetChecksGoldenTest.copy(BASE, fleet);
  }

  @Test
  void policyDriftModeCoversItsResourcesAndSysctlHasItsOwn() throws IOException {
    basePolicy("  drift: { mode: report, sysctl: ignore }\n", "      net.ipv4.tcp_syncookies: \"1\"\n", "");

    // ip_forward comes from the 'kiosk' policy (priority 20), which leaves drift at the default
    assertThat(render("kiosk-3").payload().getDriftModes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "file:/etc/motd", DriftMode.REPORT,
        "unit:chrony.service", DriftMode.REPORT,
        "sysctl:net.ipv4.tcp_syncookies", DriftMode.IGNORE));
  }

  @Test
  void resourceOwnDriftModeWinsOverItsPolicy() throws IOException {
    basePolicy("  drift: { mode: report }\n", "", "        drift: enforce\n");

    assertThat(render("kiosk-3").payload().getDriftModes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "unit:chrony.service", DriftMode.REPORT));
  }

  @Test
  void fleetDefaultDriftModeAppliesWhereNothingElseSays() throws IOException {
    Files.writeString(fleet.resolve("fleet.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: test-fleet
        spec:
          trustRoot: trust/root.json
          defaults:
            driftMode: ignore
        """);

    assertThat(render("kiosk-3").payload().getDriftModes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "file:/etc/motd", DriftMode.IGNORE,
        "unit:chrony.service", DriftMode.IGNORE,
        "sysctl:net.ipv4.ip_forward", DriftMode.IGNORE,
        "app:kiosk-ui", DriftMode.IGNORE));
  }

  @Test
  void everythingEnforcedLeavesDriftModesOut() throws IOException {
    assertThat(render("kiosk-3").payload().getDriftModes()).isNull();
  }

  @Test
  void pinKeepsTheDeviceOnItsVersionAndLeavesOthersAlone() throws IOException {
    var device = fleet.resolve("tenants/acme/devices/kiosk-2.yaml");
    Files.writeString(device, Files.readString(device) + """
          pins:
            - artifact: kiosk-ui
              version: "1.5.0"
              reason: rollback test
        """);
    var render = FleetRender.of(new DirectoryTree(fleet), VALIDATOR);
    assertThat(render.errors()).isEmpty();

    var pinned = render.devices().get("kiosk-2").payload();
    assertThat(pinned.getState().getApps()).singleElement().satisfies(app -> assertThat(app.getVersion()).isEqualTo("1.5.0"));
    assertThat(pinned.getArtifacts()).singleElement().satisfies(a -> assertThat(a.getVersion()).isEqualTo("1.5.0"));
    var other = render.devices().get("kiosk-1").payload();
    assertThat(other.getState().getApps()).singleElement().satisfies(app -> assertThat(app.getVersion()).isEqualTo("1.4.0"));
    assertThat(other.getArtifacts()).singleElement().satisfies(a -> assertThat(a.getVersion()).isEqualTo("1.4.0"));
  }

  @Test
  void sameSnapshotRendersTheSameBytesInAnyOrderAndOnAnyThread() throws IOException {
    var report = VALIDATOR.validate(new DirectoryTree(fleet));
    var first = new DeviceRenderer(FleetIndex.of(report.snapshot()));
    var second = new DeviceRenderer(FleetIndex.of(VALIDATOR.validate(new DirectoryTree(fleet)).snapshot()));
    var devices = report.snapshot().devices();
    var parallel = devices.reversed().parallelStream().map(second::render)
        .collect(java.util.stream.Collectors.toMap(RenderedDevice::device, r -> r));

    for (var device : devices) {
      var one = first.render(device);
      var other = parallel.get(one.device());
      assertThat(other.contentHash()).isEqualTo(one.contentHash());
      assertThat(CanonicalJson.encode(other.payload())).isEqualTo(CanonicalJson.encode(one.payload()));
    }
    assertThat(first.render(devices.getFirst()).contentHash()).startsWith("sha256:").hasSize(71);
  }

  @Test
  void fileNamingASecretCarriesOnlyTheDevicesOwnSealedValue() throws IOException {
    basePolicy("", "", "      - path: /etc/wifi.psk\n        secret: wifi-psk\n");
    var secret = new StringBuilder("""
        apiVersion: flotilla.dev/v1
        kind: Secret
        metadata: { name: wifi-psk, tenant: acme }
        spec:
          devices:
        """);
    for (var device : new String[] {"kiosk-1", "kiosk-2", "kiosk-3"}) {
      secret.append("    ").append(device).append(": { scheme: dhkem-p256-hkdf-sha256-aes-256-gcm-v1, keyFingerprint: ")
          .append("a".repeat(64)).append(", serial: 4, ciphertext: ")
          .append(java.util.Base64.getEncoder().encodeToString(device.getBytes())).append(" }\n");
    }
    Files.createDirectories(fleet.resolve("tenants/acme/secrets"));
    Files.writeString(fleet.resolve("tenants/acme/secrets/wifi-psk.yaml"), secret);

    var file = render("kiosk-2").payload().getState().getFiles().stream()
        .filter(f -> f.getPath().equals("/etc/wifi.psk")).findFirst().orElseThrow();

    assertThat(file.getSecret()).isEqualTo("wifi-psk");
    assertThat(file.getSealed().getSerial()).isEqualTo(4L);
    assertThat(file.getSealed().getCiphertext()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
        "kiosk-2".getBytes()));
    assertThat(file.getContent()).isNull();
  }

  /** Rewrites the base policy with extra spec lines, extra sysctl keys and extra lines for its file. */
  private void basePolicy(String spec, String sysctl, String file) throws IOException {
    Files.writeString(fleet.resolve("tenants/acme/policies/base.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Policy
        metadata:
          name: base
          tenant: acme
        spec:
          selector: {}
          priority: 10
        """ + spec + """
          state:
            sysctl:
              net.ipv4.ip_forward: "0"
        """ + sysctl + """
            files:
              - path: /etc/motd
                content: "managed by flotilla\\n"
                mode: "0644"
        """ + file + """
            services:
              - unit: chrony.service
                state: running
                enabled: true
        """);
  }

  private RenderedDevice render(String device) throws IOException {
    var render = FleetRender.of(new DirectoryTree(fleet), VALIDATOR);
    assertThat(render.errors()).isEmpty();
    return render.devices().get(device);
  }
}
