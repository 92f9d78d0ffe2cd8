package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.status.PassOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk loses nothing: on real, tiny tmpfs mounts (needs root, as CI runs), a bundle that cannot be stored is
 * reported as StoreFailed and leaves the host on the last good version, and a bundle whose files do not fit is refused
 * whole (RefusedPlan), before any file is written, and does not become the current one. Once space is freed, the
 * next pass converges.
 */
class DiskFullIT {
  @TempDir
  Path dir;
  TestDevice device;
  StandInServer server;
  final List<Path> mounts = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    server = new StandInServer();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    for (var mount : mounts.reversed()) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aBundleThatCannotBeStoredIsReportedAndTheLastGoodOneStays() throws Exception {
    mountTmpfs(device.stateDir, "1m");
    serve("\"v1\"", TestDevice.payload(1, Map.of("/etc/motd", "one\n"), Map.of()));
    try (var agent = device.agent(server.uri())) {
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.APPLIED);
      var filler = fill(device.stateDir);

      serve("\"v2\"", TestDevice.payload(2, Map.of("/etc/motd", "two\n", "/etc/issue", "two\n"), Map.of()));
      assertThatThrownBy(() -> agent.reconcileOnce(Duration.ZERO))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("store bundle version 2: save bundle")
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("keeping version 1; free space in '" + device.stateDir + "'");
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("one\n");
      assertThat(device.host.resolve("etc/issue")).doesNotExist();
      assertThat(agent.state().lastAcceptedVersion()).isEqualTo(1);
      assertThat(server.reports.getLast()).contains(PassOutcome.STORE_FAILED.reason())
          .contains("No space left on device");

      Files.delete(filler);
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("two\n");
      assertThat(agent.state().lastAcceptedVersion()).isEqualTo(2);
    }
  }

  @Test
  void filesThatDoNotFitOnTheHostAreRefusedBeforeAnyIsWritten() throws Exception {
    mountTmpfs(device.host.resolve("etc"), "64k");
    serve("\"v1\"", TestDevice.payload(1, Map.of("/etc/motd", "one\n"), Map.of()));
    try (var agent = device.agent(server.uri())) {
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.APPLIED);

      var big = "x".repeat(200 * 1024);
      serve("\"v2\"", TestDevice.payload(2, Map.of("/etc/a.conf", "small\n", "/etc/motd", "two\n",
          "/etc/z-big.bin", big), Map.of()));
      var pass = agent.reconcileOnce(Duration.ZERO);
      assertThat(pass.outcome()).isEqualTo(PassOutcome.REFUSED_PLAN);
      assertThat(pass.message()).startsWith("refuse bundle version 2: write files: they need")
          .contains("on the filesystem of '/etc/")
          .endsWith("nothing was written; free space there or make the files smaller; keeping version 1");
      assertThat(agent.state().lastAcceptedVersion()).isEqualTo(1);
      assertThat(new dev.flotilla.agent.state.BundleStore(device.stateDir).previous()).isEmpty();
      assertThat(device.host.resolve("etc/a.conf")).doesNotExist();
      assertThat(device.host.resolve("etc/z-big.bin")).doesNotExist();
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("one\n");
      try (var leftovers = Files.list(device.host.resolve("etc"))) {
        assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("motd");
      }
      assertThat(server.reports.getLast()).contains(PassOutcome.REFUSED_PLAN.reason());

      serve("\"v3\"", TestDevice.payload(3, Map.of("/etc/a.conf", "small\n", "/etc/motd", "three\n"), Map.of()));
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("three\n");
      assertThat(Files.readString(device.host.resolve("etc/a.conf"))).isEqualTo("small\n");
    }
  }

  private void serve(String tag, dev.flotilla.model.BundlePayload payload) {
    server.serve(tag, device.signed(payload));
  }

  /** Mounts a tmpfs of {@code size} on {@code dir}, keeping what {@code dir} held. */
  private void mountTmpfs(Path dir, String size) throws Exception {
    var saved = Files.createTempDirectory(this.dir, "saved");
    run("cp", "-a", dir + "/.", saved.toString());
    run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
    mounts.add(dir);
    run("cp", "-a", saved + "/.", dir.toString());
  }

  /** Fills the filesystem of {@code dir} to the last byte; returns the filler file. */
  private static Path fill(Path dir) throws IOException {
    var filler = dir.resolve("filler");
    try (var out = Files.newOutputStream(filler)) {
      var block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("No space left on device");
    }
    return filler;
  }

  private static void run(String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (this IT needs root): " + output);
    }
  }
}
