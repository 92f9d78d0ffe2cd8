package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.ArtifactType;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.ServiceSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as {@code flotilla-agent} builds it from its config, with a D-Bus address where no bus is: it starts,
 * applies files and sysctl without one, and fails only units and apps, with a clear error, writing none of them.
 */
class LazySystemdTest {
  @TempDir
  Path dir;
  private TestDevice device;
  private String identity;
  private String address;

  @BeforeEach
  void device() throws Exception {
    device = new TestDevice(dir);
    Files.writeString(device.host.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    identity = IdentityReader.hash("0123456789abcdef0123456789abcdef");
    device.procKey("vm.swappiness", "60");
    address = "unix:path=" + dir.resolve("no-bus");
  }

  @Test
  void startsAndAppliesFilesAndSysctlWithoutABus() throws Exception {
    try (var agent = AgentWiring.agent(config(), Clock.systemUTC())) {
      var pass = agent.applyFile(device.signed(payload(List.of())));

      assertThat(pass.outcome()).as(pass.message()).isEqualTo(PassOutcome.APPLIED);
      assertThat(pass.ready()).isTrue();
      assertThat(device.host.resolve("etc/motd")).hasContent("hello\n");
      assertThat(device.proc.resolve("sys/vm/swappiness")).hasContent("10");
    }
  }

  @Test
  void failsUnitsClearlyWithoutABusButStillAppliesFilesAndSysctl() throws Exception {
    var service = new ServiceSpec();
    service.setUnit("kiosk.service");
    service.setUnitFile("[Service]\nExecStart=/bin/true\n");
    try (var agent = AgentWiring.agent(config(), Clock.systemUTC())) {
      var pass = agent.applyFile(device.signed(payload(List.of(service))));

      assertThat(pass.outcome()).isEqualTo(PassOutcome.SYSTEMD_UNAVAILABLE);
      assertThat(pass.ready()).isFalse();
      assertThat(pass.message()).startsWith("connect to systemd over D-Bus at " + address + ": ")
          .endsWith("; is systemd running?; units and apps not applied, applied 3 change(s): + file /etc/motd;"
              + " ~ sysctl vm.swappiness 60 -> 10; + file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot)");
      assertThat(device.host.resolve("etc/motd")).hasContent("hello\n");
      assertThat(device.proc.resolve("sys/vm/swappiness")).hasContent("10");
      assertThat(device.host.resolve("etc/systemd/system/kiosk.service")).as("no part of the unit").doesNotExist();
      assertThat(agent.state().inventory().unitFiles()).isEmpty();
    }
  }

  @Test
  void anAppNotInstalledForWantOfABusIsNotOwnedSoItsRemovalLaterTouchesNothing() throws Exception {
    var app = new AppSpec();
    app.setName("menu");
    app.setArtifact("menu");
    app.setVersion("1.0");
    app.setUnit("nginx.service");
    var payload = payload(List.of());
    payload.getState().setApps(List.of(app));
    var artifact = new BundleArtifact();
    artifact.setName("menu");
    artifact.setVersion("1.0");
    artifact.setType(ArtifactType.BINARY);
    artifact.setDigest("sha256:" + "0".repeat(64));
    artifact.setSize(1L);
    artifact.setUrls(List.of(URI.create("http://127.0.0.1:9/menu")));
    payload.setArtifacts(List.of(artifact));
    try (var agent = AgentWiring.agent(config(), Clock.systemUTC())) {
      assertThat(agent.applyFile(device.signed(payload)).outcome()).isEqualTo(PassOutcome.SYSTEMD_UNAVAILABLE);

      assertThat(agent.state().inventory().apps()).as("nothing was installed").isEmpty();
      assertThat(agent.state().inventory().files()).containsExactly("/etc/motd");
    }
  }

  private BundlePayload payload(List<ServiceSpec> services) {
    var payload = TestDevice.payload(1, Map.of("/etc/motd", "hello\n"), Map.of("vm.swappiness", "10"));
    payload.setIdentityHash(identity);
    payload.getState().setServices(services.isEmpty() ? null : services);
    return payload;
  }

  private AgentConfig config() throws Exception {
    var config = device.config();
    config.setDbusAddress(address);
    return config;
  }
}
