package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.trust.Keys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: a real Git repo, the reconciler over HTTPS and agents in sandboxes, as the demo runs
 * them. Each test starts from two enrolled devices that have applied their first bundles.
 */
class LiveFleetIT {
  @TempDir
  Path work;
  LiveFleet fleet;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of("kiosk-berlin-01-a", "pos-berlin-01-1"));
    fleet.commit("Enrol two devices");
    fleet.startReconciler(Duration.ofSeconds(1));
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("first bundles applied").isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  Path hostFile(int device, String path) {
    return fleet.devices.get(device).root().resolve(path.substring(1));
  }

  @Test
  void commitIsAppliedOnEveryDevice() throws Exception {
    assertThat(Files.readString(hostFile(0, "/etc/motd"))).contains("Acme Retail managed device");
    var policy = fleet.repo.resolve("tenants/acme-retail/policies/base-hardening.yaml");
    Files.writeString(policy, Files.readString(policy).replace("kernel.kptr_restrict: \"2\"", "kernel.kptr_restrict: \"1\""));
    var commit = fleet.commit("Relax kptr_restrict");
    fleet.server.wakeUp();

    assertThat(fleet.awaitServing(commit, Duration.ofSeconds(30))).isTrue();
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).isTrue();
    for (var sandbox : fleet.devices) {
      assertThat(Files.readString(sandbox.proc().resolve("sys/kernel/kptr_restrict")).strip()).isEqualTo("1");
      assertThat(Files.readString(sandbox.root().resolve("etc/sysctl.d/90-flotilla.conf")))
          .contains("kernel.kptr_restrict = 1");
    }
  }

  @Test
  void invalidFileNeverReachesItsTenantsDevices() throws Exception {
    var before = fleet.served("kiosk-berlin-01-a");
    var good = fleet.server.reconciler().status().good().commit();
    var policy = fleet.repo.resolve("tenants/acme-retail/policies/base-hardening.yaml");
    Files.writeString(policy, Files.readString(policy)
        .replace("kernel.kptr_restrict: \"2\"", "kernel.kptr_restrict: \"1\"")
        .replace("  priority: 10", "  priority: 10\n  colour: blue"));
    var bad = fleet.commit("Break the schema");
    fleet.server.wakeUp();

    assertThat(fleet.awaitSeen(bad, Duration.ofSeconds(30))).isTrue();
    var status = fleet.server.reconciler().status();
    assertThat(status.reason()).isEqualTo("TenantsHeldBack");
    assertThat(status.heldBack()).containsOnlyKeys("acme-retail");
    assertThat(status.heldBack().get("acme-retail").lastGood().commit()).isEqualTo(good);
    assertThat(status.message()).contains("base-hardening.yaml").contains("unknown field 'colour'");
    assertThat(fleet.served("kiosk-berlin-01-a")).isEqualTo(before);
    assertThat(Files.readString(fleet.devices.get(0).proc().resolve("sys/kernel/kptr_restrict")).strip()).isEqualTo("2");
  }

  @Test
  void deviceCannotFetchAnotherDevicesBundleNorCanAStranger() throws Exception {
    var port = fleet.server.address().getPort();
    var key = Keys.readPrivate(work.resolve("devices/kiosk-berlin-01-a/device.pem"));

    assertThat(get(port, "/v1/devices/pos-berlin-01-1/bundle", "kiosk-berlin-01-a", key)).isEqualTo(403);
    assertThat(get(port, "/v1/devices/kiosk-berlin-01-a/bundle", "kiosk-berlin-01-a", key)).isEqualTo(200);
    assertThat(get(port, "/v1/devices/kiosk-berlin-01-a/bundle", "kiosk-berlin-01-a", Keys.generate().getPrivate()))
        .isEqualTo(401);
    assertThat(get(port, "/v1/devices/kiosk-berlin-02-a/bundle", "kiosk-berlin-02-a", Keys.generate().getPrivate()))
        .isEqualTo(401);
  }

  @Test
  void aSignatureTheServerVerifiedBeforeStopsWorkingWhenTheDeviceIsRemoved() throws Exception {
    var client = new DeviceClient(fleet.server.serverCertificate(), fleet.server.address().getPort());
    var key = Keys.readPrivate(work.resolve("devices/kiosk-berlin-01-a/device.pem"));
    var path = "/v1/devices/kiosk-berlin-01-a/bundle";
    var signed = dev.flotilla.auth.RequestSignature.sign(key, "kiosk-berlin-01-a", "GET", path, new byte[0],
        java.time.Instant.now());
    assertThat(client.get(path, signed).statusCode()).isEqualTo(200);
    assertThat(client.get(path, signed).statusCode()).as("again, from the verified cache").isEqualTo(200);
    assertThat(client.get("/v1/devices/pos-berlin-01-1/bundle", signed).statusCode()).isEqualTo(401);

    try (var files = Files.walk(fleet.repo.resolve("tenants"))) {
      for (var file : files.filter(f -> f.getFileName().toString().equals("kiosk-berlin-01-a.yaml")).toList()) {
        Files.delete(file);
      }
    }
    var commit = fleet.commit("Remove kiosk-berlin-01-a");
    fleet.server.wakeUp();
    assertThat(fleet.awaitServing(commit, Duration.ofSeconds(30))).isTrue();

    assertThat(client.get(path, signed).statusCode()).isEqualTo(401);
  }

  @Test
  void agentRestartedWithoutNetworkReappliesItsLastGoodBundle() throws Exception {
    var device = fleet.devices.get(0);
    var motd = device.root().resolve("etc/motd");
    var expected = Files.readString(motd);
    fleet.close();
    Files.writeString(motd, "changed while the agent was down\n");

    try (var agent = dev.flotilla.agent.AgentWiring.agent(agentConfig(device.name(), 1), java.time.Clock.systemUTC())) {
      var pass = agent.resume().orElseThrow();
      assertThat(pass.ready()).isTrue();
      assertThat(Files.readString(motd)).isEqualTo(expected);
    }
  }

  dev.flotilla.model.AgentConfig agentConfig(String device, int unusedPort) {
    var config = new dev.flotilla.model.AgentConfig();
    config.setServer(URI.create("https://127.0.0.1:" + 9));
    config.setDevice(device);
    config.setPrivateKey(work.resolve("devices").resolve(device).resolve("device.pem").toString());
    config.setTrustRoot(fleet.repo.resolve("trust/root.json").toString());
    config.setStateDir(work.resolve("devices").resolve(device).resolve("state").toString());
    config.setHostRoot(work.resolve("devices").resolve(device).resolve("root").toString());
    config.setProcRoot(work.resolve("devices").resolve(device).resolve("proc").toString());
    config.setAllowedPaths(List.of("/etc"));
    return config;
  }

  int get(int port, String path, String device, java.security.PrivateKey key) throws Exception {
    return new DeviceClient(fleet.server.serverCertificate(), port).get(path, device, key).statusCode();
  }
}
