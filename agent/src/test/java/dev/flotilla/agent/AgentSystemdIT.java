package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.drift.Debouncer;
import dev.flotilla.agent.drift.DriftWatcher;
import dev.flotilla.agent.drift.WatchSet;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.SystemdConnection;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.digest.Digest;
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
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent loop on a real systemd: a signed bundle declaring a unit and an app is fetched and applied, then a
 * unit stopped inside the container is seen by the agent's unit watcher and corrected by a local drift pass while
 * the loop's long-poll is still in flight (the server holds it until the test ends); still so after systemd
 * re-executes and after the container's dbus-daemon restarts (the agent reconnects and subscribes again).
 */
class AgentSystemdIT {
  private static final String IDENTITY = "sha256:" + "ab".repeat(32);
  private static final String CORRECTED_UNIT = PassOutcome.DRIFT_CORRECTED.reason()
      + ": 1 change(s): + unit chronyd-test.service (start)";
  @TempDir
  Path dir;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final AtomicInteger bundlesServed = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  @Test
  void theLoopCorrectsAUnitStoppedInsideWithoutAPoll() throws Exception {
    var rootKey = Keys.generate();
    var signer = Keys.generate();
    var root = TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.now().plus(Duration.ofDays(1)),
        Map.of(KeyRole.ROOT, List.of(rootKey.getPublic()), KeyRole.BUNDLE_SIGNER, List.of(signer.getPublic()),
            KeyRole.ARTIFACT_SIGNER, List.of(signer.getPublic())), Map.of()), List.of(rootKey));
    var binary = "#!/bin/sh\nexec sleep infinity\n".getBytes(StandardCharsets.UTF_8);
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    var base = "http://127.0.0.1:" + server.getAddress().getPort();
    var bundle = new BundleSigner(signer).sign(BundlePayloads.encode(payload(binary, URI.create(base + "/menu"))));
    serve(server, binary, bundle);
    server.start();
    var metrics = new AgentMetrics();
    var wake = new Debouncer(WatchSet.DEFAULT_DEBOUNCE);
    try (var container = NspawnContainer.boot("flotilla-agent");
         var agent = agent(container, TrustRoots.toJson(root), URI.create(base), metrics);
         var watcher = new DriftWatcher(agent.settings().files(), agent.settings().sysctl(), wake, log::add);
         var loop = new AgentLoop(agent, Duration.ofSeconds(600), log::add, wake, watcher, () -> {})) {
      var running = Thread.ofPlatform().start(loop::run);
      eventually(() -> log.stream().anyMatch(l -> l.startsWith("version 1: Applied")));
      assertThat(container.exec("systemctl", "is-active", "flotilla-app-menu.service").output().strip())
          .isEqualTo("active");
      eventually(() -> gauge(metrics, "flotilla_agent_resource_compliant", "unit:chronyd-test.service") == 1);

      container.exec("systemctl", "stop", "chronyd-test.service");

      eventually(() -> log.stream().anyMatch(l -> l.contains(CORRECTED_UNIT)));
      assertThat(log).contains("drift unit:chronyd-test.service (enforce): expected as declared; actual + unit chronyd-test.service (start)");
      assertThat(container.exec("systemctl", "is-active", "chronyd-test.service").output().strip())
          .isEqualTo("active");
      assertThat(bundlesServed).as("one fetch answered; the correction came from the unit watcher").hasValue(1);
      assertThat(gauge(metrics, "flotilla_agent_resource_compliant", "app:menu")).isEqualTo(1);
      assertThat(appInfo(metrics)).containsExactly("menu=1.0");

      // systemd re-executed, then the bus daemon restarted: the agent subscribes again and still sees the unit
      assertThat(container.exec("systemctl", "daemon-reexec").exit()).isZero();
      stopAndSeeCorrected(container, 2);
      assertThat(log).contains("systemd at " + container.busAddress()
          + " is back on the bus; subscribed again, re-reading 2 managed unit(s)");
      var restarted = container.exec("systemctl", "restart", "dbus.service");
      assertThat(restarted.exit()).as(restarted.output()).isZero();
      eventually(() -> log.stream().anyMatch(l -> l.startsWith("reconnected to systemd at " + container.busAddress())));
      assertThat(log).anyMatch(l -> l.startsWith("lost the D-Bus connection to systemd at " + container.busAddress()));
      stopAndSeeCorrected(container, 3);
      assertThat(bundlesServed).hasValue(1);
      loop.close();
      release.countDown();
      running.join();
    } finally {
      release.countDown();
      server.stop(0);
    }
  }

  /** Stops the unit inside and waits for the {@code n}th correction of it by a local pass. */
  private void stopAndSeeCorrected(NspawnContainer container, int n) throws Exception {
    container.exec("systemctl", "stop", "chronyd-test.service");
    eventually(() -> log.stream()
        .filter(l -> l.contains(CORRECTED_UNIT)).count() >= n);
    assertThat(container.exec("systemctl", "is-active", "chronyd-test.service").output().strip())
        .isEqualTo("active");
  }

  /** The bundle once; a later long-poll is held until the test releases it, then answered 304. */
  private void serve(HttpServer server, byte[] binary, byte[] bundle) {
    server.createContext("/menu", exchange -> reply(exchange, 200, binary));
    server.createContext("/v1/devices/kiosk-1/status", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.createContext("/v1/devices/kiosk-1/bundle", exchange -> {
      if (exchange.getRequestHeaders().getFirst("If-None-Match") == null) {
        bundlesServed.incrementAndGet();
        exchange.getResponseHeaders().add("ETag", "\"v1\"");
        reply(exchange, 200, bundle);
        return;
      }
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
    });
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws java.io.IOException {
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private Agent agent(NspawnContainer container, byte[] root, URI server, AgentMetrics metrics) throws Exception {
    return agent(container, root, server, metrics, Clock.systemUTC(), dir, log::add);
  }

  /**
   * An agent for device kiosk-1 on {@code container}'s systemd, its state and procfs under {@code dir}, managing
   * {@code /etc} of the container.
   */
  static Agent agent(NspawnContainer container, byte[] root, URI server, AgentMetrics metrics, Clock clock, Path dir,
      java.util.function.Consumer<String> log) throws Exception {
    var client = new BundleClient(server, null, "kiosk-1", Keys.generate().getPrivate(), clock);
    var files = new HostFiles(container.hostRoot(), List.of("/etc"));
    var systemd = new SystemdConnection(container.busAddress(), log);
    var apps = new AppStore(container.hostRoot().resolve("var/lib/flotilla/apps"), "/var/lib/flotilla/apps");
    var settings = new AgentSettings("kiosk-1", IDENTITY, Files.createDirectories(dir.resolve("state")), files,
        new Sysctl(Files.createDirectories(dir.resolve("proc")), container.hostRoot()), root, Duration.ofSeconds(30),
        new SystemdHost(systemd, apps, client::openArtifact, container.hostRoot()));
    return new Agent(settings, client, clock, metrics, log);
  }

  private static double gauge(AgentMetrics metrics, String name, String key) {
    var colon = key.indexOf(':');
    return metrics.registry().scrape().stream().filter(s -> s.getMetadata().getName().equals(name))
        .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
        .filter(p -> p.getLabels().get("kind").equals(key.substring(0, colon))
            && p.getLabels().get("name").equals(key.substring(colon + 1)))
        .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).findFirst().orElse(-1);
  }

  private static List<String> appInfo(AgentMetrics metrics) {
    return metrics.registry().scrape().stream().filter(s -> s.getMetadata().getName().equals("flotilla_agent_app"))
        .flatMap(s -> ((InfoSnapshot) s).getDataPoints().stream())
        .map(p -> p.getLabels().get("name") + "=" + p.getLabels().get("version")).toList();
  }

  /** Waits until {@code condition} holds; fails after 60 s (a hang guard, not a performance limit). */
  private static void eventually(Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < 6000 && !condition.call(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.call()).as("condition within 60 s").isTrue();
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
    artifact.setDigest(Digest.sha256(binary).toString());
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
