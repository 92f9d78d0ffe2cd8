package dev.flotilla.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.Revision;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle store that fills up mid-pass loses nothing (on a real, tiny tmpfs; needs root, as CI runs): the pass
 * fails with the file and the cause, every device keeps a whole, signed bundle (the old one or the new one), and a
 * reconciler restarted on that store signs the out-of-step devices again above any version they were served.
 */
class PublisherDiskFullIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int DEVICES = 40;
  static final Revision FIRST = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "first");
  static final Revision SECOND = new Revision("b".repeat(40), Instant.ofEpochSecond(1_000), "second");

  @TempDir
  Path dir;
  Path store;
  final BundleSigner signer = new BundleSigner(Keys.generate());
  final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void mount() throws Exception {
    store = Files.createDirectories(dir.resolve("store"));
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", store.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", "-l", store.toString());
  }

  @Test
  void aPassThatFillsTheStoreFailsClearlyAndEveryDeviceKeepsAWholeBundle() throws Exception {
    var publisher = new Publisher(new BundleDirectory(store), signer, clock, Duration.ofDays(7));
    publisher.publish(devices(100), FIRST);
    var before = versions(publisher);
    fillLeaving(store, 16 * 4096);

    // every bundle grows from one page to four: the free pages run out a few devices into the pass
    assertThatThrownBy(() -> publisher.publish(devices(12_000), SECOND))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("write '" + store)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("the devices keep the bundles they have");
    var served = versions(publisher);
    var renewed = served.entrySet().stream().filter(e -> e.getValue() > before.get(e.getKey())).count();
    assertThat(renewed).isPositive().isLessThan(DEVICES);
    for (var device : served.keySet()) {
      var bundle = publisher.get(device).bundle();
      assertThat(versionOf(bundle)).as(device).isEqualTo(served.get(device));
    }

    Files.delete(store.resolve("filler"));
    var restarted = new Publisher(new BundleDirectory(store), signer, clock, Duration.ofDays(7));
    var result = restarted.publish(devices(12_000), SECOND);
    assertThat(result.changed().size()).isGreaterThanOrEqualTo((int) (DEVICES - renewed));
    for (var device : served.keySet()) {
      var now = restarted.get(device);
      assertThat(now.version()).as(device).isGreaterThanOrEqualTo(served.get(device));
      assertThat(versionOf(now.bundle())).isEqualTo(now.version());
      assertThat(new String(payloadOf(now.bundle()), StandardCharsets.UTF_8)).contains("x".repeat(12_000));
    }
  }

  private static List<RenderedDevice> devices(int contentBytes) {
    return IntStream.range(0, DEVICES).mapToObj(i -> RenderedDevice.of(payload("k" + i, contentBytes))).toList();
  }

  private static BundlePayload payload(String name, int contentBytes) {
    var payload = TestPayloads.bare(name);
    var state = new DesiredState();
    var file = new FileSpec();
    file.setPath("/etc/motd");
    file.setContent("x".repeat(contentBytes));
    state.getFiles().add(file);
    payload.setState(state);
    return payload;
  }

  private static Map<String, Long> versions(Publisher publisher) {
    var out = new HashMap<String, Long>();
    publisher.all().forEach((device, published) -> out.put(device, published.version()));
    return out;
  }

  private static byte[] payloadOf(byte[] bundle) throws IOException {
    return Base64.getDecoder().decode(JSON.readTree(bundle).path("dsseEnvelope").path("payload").asText());
  }

  private static long versionOf(byte[] bundle) throws IOException {
    return JSON.readTree(payloadOf(bundle)).path("version").asLong();
  }

  /** Fills the filesystem of {@code dir} until only about {@code spare} bytes are free. */
  private static void fillLeaving(Path dir, long spare) throws IOException {
    var store = Files.getFileStore(dir);
    try (var out = Files.newOutputStream(dir.resolve("filler"))) {
      var block = new byte[4096];
      while (store.getUsableSpace() > spare) {
        out.write(block);
        out.flush();
      }
    }
  }

  private static void run(String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (this IT needs root): " + output);
    }
  }
}
