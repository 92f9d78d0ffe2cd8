package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.git.GitAccess;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.server.ReconcilerServer;
import dev.flotilla.tls.SelfSigned;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/operations.md promises for a lost reconciler: delete its whole work directory, start a new one from Git
 * with the same config and keys, and every agent carries on (no claim, no bundle version lower than one it had),
 * then applies the next commit.
 */
class DisasterRecoveryIT {
  static final List<String> DEVICES = List.of("kiosk-berlin-01-a", "pos-berlin-01-1");

  @TempDir
  Path work;

  LiveFleet fleet;

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  @Test
  void aReconcilerStartedFromNothingButGitKeepsEveryAgentGoing() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(DEVICES);
    fleet.commit("Enrol two devices");
    var config = config(freePort());
    fleet.server = new ReconcilerServer(config, Clock.systemUTC()).start();
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("first bundles applied").isTrue();
    edit("kernel.kptr_restrict: \"2\"", "kernel.kptr_restrict: \"1\"");
    assertThat(fleet.awaitServing(fleet.commit("Relax kptr_restrict"), Duration.ofSeconds(30))).isTrue();
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("second bundles applied").isTrue();
    var before = applied();
    var devicesBefore = deviceFiles();

    fleet.server.close();
    deleteTree(config.workDir());
    fleet.server = new ReconcilerServer(config, Clock.systemUTC()).start();

    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("bundles of the new reconciler applied").isTrue();
    for (var device : DEVICES) {
      assertThat(fleet.served(device)).as(device).isGreaterThan(before.get(device));
    }
    edit("kernel.kptr_restrict: \"1\"", "kernel.kptr_restrict: \"2\"");
    var next = fleet.commit("Tighten kptr_restrict again");
    fleet.server.wakeUp();
    assertThat(fleet.awaitServing(next, Duration.ofSeconds(30))).isTrue();
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("the next commit applied").isTrue();
    for (var sandbox : fleet.devices) {
      assertThat(Files.readString(sandbox.proc().resolve("sys/kernel/kptr_restrict")).strip()).isEqualTo("2");
    }
    assertThat(deviceFiles()).as("no device claimed again").isEqualTo(devicesBefore);
  }

  /** The reconciler's config: a fixed port and a certificate kept outside the work directory, as in production. */
  private ReconcilerConfig config(int port) throws Exception {
    var tls = Files.createDirectories(work.resolve("etc-tls"));
    SelfSigned.write(SelfSigned.make("flotilla", List.of("localhost", "127.0.0.1"), Instant.now(),
        Duration.ofDays(1)), tls.resolve("fullchain.pem"), tls.resolve("privkey.pem"));
    return new ReconcilerConfig(fleet.repo.toString(), "main", work.resolve("reconciler"),
        fleet.keys.resolve("bundle-signer.pem"), "127.0.0.1", port, List.of(), tls.resolve("fullchain.pem"),
        tls.resolve("privkey.pem"), Duration.ofSeconds(1), Duration.ofDays(7), null, fleet.artifactStore(),
        new InetSocketAddress("127.0.0.1", 0), List.of(), GitAccess.NONE);
  }

  private Map<String, Long> applied() {
    var versions = new HashMap<String, Long>();
    fleet.devices.forEach(d -> versions.put(d.name(), d.agent().last().version()));
    return versions;
  }

  private List<String> deviceFiles() throws Exception {
    try (var files = Files.walk(fleet.repo.resolve("tenants"))) {
      return files.filter(f -> f.getParent().getFileName().toString().equals("devices")).map(Path::toString)
          .sorted().toList();
    }
  }

  private void edit(String from, String to) throws Exception {
    var policy = fleet.repo.resolve("tenants/acme-retail/policies/base-hardening.yaml");
    Files.writeString(policy, Files.readString(policy).replace(from, to));
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
