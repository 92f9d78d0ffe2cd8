package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.DbusSystemd;
import dev.flotilla.agent.plan.Sha256;
import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.ArtifactType;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.HealthCheck;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent on a real systemd: a signed ops bundle declaring a unit and an app is applied, then a unit
 * stopped inside the container is seen by the agent's watcher and corrected by a drift pass.
 */
class AgentSystemdIT {
  private static final String IDENTITY = "sha256:" + "ab".repeat(32);
  @TempDir
  Path dir;

  @Test
  void appliesUnitsAndAppsFromASignedBundleAndCorrectsAUnitStoppedInside() throws Exception {
    var rootKey = Keys.generate();
    var signer = Keys.generate();
    var root = TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.now().plus(Duration.ofDays(1)),
        Map.of(KeyRole.ROOT, List.of(rootKey.getPublic()), KeyRole.BUNDLE_SIGNER, List.of(signer.getPublic()),
            KeyRole.ARTIFACT_SIGNER, List.of(signer.getPublic())), Map.of()), List.of(rootKey));
    var binary = "#!/bin/sh\nexec sleep infinity\n".getBytes(StandardCharsets.UTF_8);
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/menu", exchange -> {
      exchange.sendResponseHeaders(200, binary.length);
      exchange.getResponseBody().write(binary);
      exchange.close();
    });
    server.start();
    var events = new LinkedBlockingQueue<String>();
    try (var container = NspawnContainer.boot("flotilla-agent");
         var agent = agent(container, TrustRoots.toJson(root))) {
      var url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/menu");
      var bundle = new BundleSigner(signer).sign(BundlePayloads.encode(payload(binary, url)));

      var applied = agent.applyFile(bundle);
      assertThat(agent.watchUnits(events::add)).isPresent();

      assertThat(applied.reason()).as(applied.message()).isEqualTo("Applied");
      assertThat(applied.plan().lines()).containsExactly("+ unit chronyd-test.service (unit file)",
          "+ unit chronyd-test.service (enable)", "+ unit chronyd-test.service (start)",
          "+ app menu 1.0 (install)", "~ app menu (none) -> 1.0 (switch)");
      assertThat(container.exec("systemctl", "is-active", "flotilla-app-menu.service").output().strip())
          .isEqualTo("active");

      container.exec("systemctl", "stop", "chronyd-test.service");
      assertThat(events.take()).isEqualTo("unit:chronyd-test.service");
      var corrected = agent.reapply().orElseThrow();

      assertThat(corrected.reason()).isEqualTo("DriftCorrected");
      assertThat(corrected.plan().lines()).containsExactly("+ unit chronyd-test.service (start)");
      assertThat(container.exec("systemctl", "is-active", "chronyd-test.service").output().strip())
          .isEqualTo("active");
    } finally {
      server.stop(0);
    }
  }

  private Agent agent(NspawnContainer container, byte[] root) throws Exception {
    var files = new HostFiles(container.hostRoot(), List.of("/etc"));
    var systemd = DbusSystemd.connect(container.busAddress());
    var apps = new AppStore(container.hostRoot().resolve("var/lib/flotilla/apps"), "/var/lib/flotilla/apps");
    var settings = new AgentSettings("kiosk-1", IDENTITY, Files.createDirectories(dir.resolve("state")), files,
        new Sysctl(Files.createDirectories(dir.resolve("proc")), container.hostRoot()), root, Duration.ofSeconds(30),
        new SystemdHost(systemd, apps, u -> u.toURL().openStream(), container.hostRoot()));
    return new Agent(settings, null, Clock.systemUTC());
  }

  private static BundlePayload payload(byte[] binary, URI url) {
    var service = new ServiceSpec();
    service.setUnit("chronyd-test.service");
    service.setEnabled(true);
    service.setUnitFile("[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n");
    var check = new HealthCheck();
    check.setMinReadySeconds(1L);
    var app = new AppSpec();
    app.setName("menu");
    app.setArtifact("menu");
    app.setVersion("1.0");
    app.setCommand(List.of("menu"));
    app.setHealthCheck(check);
    var state = new DesiredState();
    state.setServices(List.of(service));
    state.setApps(List.of(app));
    var artifact = new BundleArtifact();
    artifact.setName("menu");
    artifact.setVersion("1.0");
    artifact.setType(ArtifactType.BINARY);
    artifact.setDigest(Sha256.of(binary));
    artifact.setSize((long) binary.length);
    artifact.setUrls(List.of(url));
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("acme-fleet");
    payload.setTenant("acme");
    payload.setDevice("kiosk-1");
    payload.setIdentityHash(IDENTITY);
    payload.setVersion(1L);
    payload.setIssuedAt(Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(Instant.now().plusSeconds(3600).atOffset(ZoneOffset.UTC));
    payload.setSourceCommit("0123456789abcdef0123456789abcdef01234567");
    payload.setRootVersion(1L);
    payload.setState(state);
    payload.setArtifacts(List.of(artifact));
    return payload;
  }
}
