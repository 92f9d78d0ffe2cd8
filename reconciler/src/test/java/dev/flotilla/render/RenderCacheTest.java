package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.fleet.FleetTree;
import dev.flotilla.model.Device;
import dev.flotilla.trust.CanonicalJson;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders reused across passes are the renders a fresh renderer gives, and only unchanged devices reuse them. */
class RenderCacheTest {
  @TempDir
  Path fleet;

  final FleetValidator validator =
      new FleetValidator(Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC));
  final RenderCache cache = new RenderCache();

  @BeforeEach
  void copyBase() throws IOException {
    dev.flotilla.validate.FleetChecksGoldenTest.copy(DeviceRendererTest.BASE, fleet);
  }

  @Test
  void anUnchangedCommitReusesEveryRender() throws IOException {
    var first = pass();
    var second = pass();

    assertThat(second).hasSameSizeAs(first).isNotEmpty();
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).payload()).isSameAs(first.get(i).payload());
      assertThat(second.get(i).contentHash()).isEqualTo(first.get(i).contentHash());
      // a fresh render carries its bytes to the publisher; the cache keeps none
      assertThat(second.get(i).bytes()).isEqualTo(first.get(i).canonical());
      assertThat(second.get(i).canonical()).isNull();
    }
  }

  @Test
  void aChangedPolicyRendersExactlyTheDevicesItSelectsAgain() throws IOException {
    var first = pass();
    var kiosk = fleet.resolve("tenants/acme/policies/kiosk.yaml");
    Files.writeString(kiosk, Files.readString(kiosk).replace("\"1.4.0\"", "\"1.5.0\""));

    var second = pass();

    for (int i = 0; i < first.size(); i++) {
      var reused = second.get(i).payload() == first.get(i).payload();
      assertThat(reused).as(second.get(i).device()).isEqualTo(!second.get(i).device().startsWith("kiosk-"));
    }
    assertThat(second).anySatisfy(r -> assertThat(r.payload().getState().getApps())
        .anySatisfy(app -> assertThat(app.getVersion()).isEqualTo("1.5.0")));
  }

  @Test
  void aChangedFleetFileRendersEveryDeviceAgain() throws IOException {
    var first = pass();
    var file = fleet.resolve("fleet.yaml");
    Files.writeString(file, Files.readString(file) + "  defaults:\n    driftMode: ignore\n");

    var second = pass();

    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).isNotSameAs(first.get(i));
    }
  }

  /** One pass as the reconciler runs it; every render is checked against a fresh renderer's bytes. */
  private List<RenderedDevice> pass() throws IOException {
    var report = validator.validate(new HashedTree(fleet));
    assertThat(report.errors()).isZero();
    var renderer = new DeviceRenderer(FleetIndex.of(report.snapshot()));
    var devices = claimed(report.snapshot());
    var rendered = cache.render(renderer, devices);
    var fresh = new DeviceRenderer(FleetIndex.of(report.snapshot()));
    for (int i = 0; i < devices.size(); i++) {
      var expected = fresh.render(devices.get(i));
      assertThat(rendered.get(i).contentHash()).isEqualTo(expected.contentHash());
      assertThat(CanonicalJson.encode(rendered.get(i).payload())).isEqualTo(CanonicalJson.encode(expected.payload()));
    }
    return rendered;
  }

  private static List<Document<Device>> claimed(FleetSnapshot snapshot) {
    return snapshot.devices().stream().filter(d -> d.resource().getSpec().getIdentity() != null).toList();
  }

  /** A directory whose content ids are the files' sha256, as a commit's tree gives blob ids. */
  record HashedTree(Path root) implements FleetTree {
    @Override
    public List<String> paths() throws IOException {
      return new DirectoryTree(root).paths();
    }

    @Override
    public byte[] read(String path, int limit) throws IOException {
      return new DirectoryTree(root).read(path, limit);
    }

    @Override
    public long size(String path) throws IOException {
      return new DirectoryTree(root).size(path);
    }

    @Override
    public Optional<String> contentId(String path) {
      try {
        var digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(root.resolve(path)));
        return Optional.of(HexFormat.of().formatHex(digest));
      } catch (IOException | java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
