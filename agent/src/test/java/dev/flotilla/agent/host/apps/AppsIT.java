package dev.flotilla.agent.host.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.host.Host;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.DbusSystemd;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.ArtifactType;
import dev.flotilla.model.BundleArtifact;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.HealthCheck;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apps against a real systemd in a systemd-nspawn container, artifacts served over loopback HTTP. */
class AppsIT {
  private static final String SLEEP = "#!/bin/sh\nexec sleep infinity\n";
  private static final Map<String, byte[]> SERVED = new ConcurrentHashMap<>();
  private static NspawnContainer container;
  private static DbusSystemd systemd;
  private static HttpServer server;
  /** Stands in for the apps' health endpoints, on the host's loopback where the agent's probes go. */
  private static HttpServer probes;
  private static final Map<String, Integer> PROBES = new ConcurrentHashMap<>();
  private static Host host;
  private static Applier applier;
  private static AppStore store;
  @TempDir
  static Path scratch;

  @BeforeAll
  static void boot() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/a/", exchange -> {
      var body = SERVED.get(exchange.getRequestURI().getPath().substring(3));
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    probes = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    probes.createContext("/", exchange -> {
      var path = exchange.getRequestURI().getPath();
      PROBES.merge(path, 1, Integer::sum);
      exchange.sendResponseHeaders(path.equals("/ok") ? 200 : 500, -1);
      exchange.close();
    });
    probes.start();
    container = NspawnContainer.boot("flotilla-apps");
    systemd = DbusSystemd.connect(container.busAddress());
    var files = new HostFiles(container.hostRoot(), List.of("/etc"));
    var sysctl = new Sysctl(Files.createDirectories(scratch.resolve("proc")), container.hostRoot());
    store = new AppStore(container.hostRoot().resolve("var/lib/flotilla/apps"), "/var/lib/flotilla/apps");
    ArtifactSource source = url -> url.toURL().openStream();
    host = new Host(files, sysctl, new SystemdHost(systemd, store, source, container.hostRoot()));
    applier = new Applier(files, sysctl, systemd, new AppInstaller(store, source, files, systemd));
  }

  @AfterAll
  static void stop() throws IOException {
    if (systemd != null) {
      systemd.close();
    }
    if (container != null) {
      container.close();
    }
    if (server != null) {
      server.stop(0);
    }
    if (probes != null) {
      probes.stop(0);
    }
  }

  @Test
  void appKilledDuringItsHealthCheckGoesBackToThePreviousVersion() throws Exception {
    var v1 = serve("ticker-1.0", SLEEP);
    var first = plan(app("ticker", "1.0", 1), List.of(v1));
    assertThat(first.lines()).containsExactly("+ app ticker 1.0 (install)", "~ app ticker (none) -> 1.0 (switch)");
    var installed = applier.apply(first);
    assertThat(installed.failed()).as(installed.error().orElse("")).isFalse();
    assertThat(systemd.unit("flotilla-app-ticker.service").activeState()).isEqualTo("active");

    var v2 = serve("ticker-2.0", "#!/bin/sh\necho $$ > /run/ticker-2.pid\nexec sleep infinity\n");
    var killer = Thread.ofVirtual().start(AppsIT::killVersionTwo);
    var applied = applier.apply(plan(app("ticker", "2.0", 4), List.of(v1, v2)));
    killer.join();

    assertThat(applied.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("switch app 'ticker' to 2.0: health check failed: unit 'flotilla-app-ticker.service'")
        .endsWith("; switched back to 1.0"));
    assertThat(store.current("ticker")).isEqualTo("1.0");
    assertThat(systemd.unit("flotilla-app-ticker.service").activeState()).isEqualTo("active");
    assertThat(store.observe("ticker").failed()).containsKey("2.0");
    assertThat(plan(app("ticker", "2.0", 4), List.of(v1, v2)).lines()).isEmpty();
  }

  @Test
  void artifactWithAWrongDigestIsRefusedAndNeverRuns() throws Exception {
    var evil = serve("evil-1.0", "#!/bin/sh\ntouch /var/lib/evil-ran\nexec sleep infinity\n");
    evil.setDigest(Digest.sha256("what was signed".getBytes(StandardCharsets.UTF_8)).toString());

    var applied = applier.apply(plan(app("evil", "1.0", 1), List.of(evil)));

    assertThat(applied.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("install app 'evil' 1.0: '" + evil.getUrls().get(0) + "' has sha256:")
        .endsWith("not the signed " + evil.getDigest()));
    assertThat(container.hostRoot().resolve("var/lib/evil-ran")).doesNotExist();
    assertThat(container.exec("test", "-e", "/var/lib/evil-ran").exit()).isEqualTo(1);
    assertThat(store.observe("evil").installed()).isEmpty();
    assertThat(systemd.unit("flotilla-app-evil.service").exists()).isFalse();
  }

  @Test
  void firstVersionFailingItsCommandProbeIsStoppedAndReportedFailed() throws Exception {
    var v1 = serve("probed-1.0", SLEEP);
    var desired = app("probed", "1.0", 0);
    var probe = new dev.flotilla.model.CommandProbe();
    probe.setArgv(List.of("false"));
    desired.getApps().get(0).getHealthCheck().setCommand(probe);
    desired.getApps().get(0).getHealthCheck().setTimeout("2s"); // the probe is retried until the timeout

    var applied = applier.apply(plan(desired, List.of(v1)));

    assertThat(applied.error()).hasValue("switch app 'probed' to 1.0: health check failed: command [false] exited 1;"
        + " stopped it (no earlier version)");
    assertThat(systemd.unit("flotilla-app-probed.service").activeState()).isEqualTo("inactive");
    assertThat(store.observe("probed").failed()).containsEntry("1.0", "command [false] exited 1");
  }

  @Test
  void changedEnvironmentAtTheSameVersionRestartsTheAppAndOneFailingHealthGoesBack() throws Exception {
    var v1 = serve("greeter-1.0", "#!/bin/sh\necho \"$GREETING\" > /run/greeter.out\n"
        + "[ \"$GREETING\" = fail ] && exit 1\nexec sleep infinity\n");
    var out = container.hostRoot().resolve("run/greeter.out");
    var installed = applier.apply(plan(greeter("hello"), List.of(v1)));
    assertThat(installed.failed()).as(installed.error().orElse("")).isFalse();
    assertThat(Files.readString(out)).isEqualTo("hello\n");

    var changed = plan(greeter("bye"), List.of(v1));
    var applied = applier.apply(changed);

    assertThat(changed.lines()).containsExactly("~ app greeter 1.0 (unit changed)");
    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    assertThat(Files.readString(out)).isEqualTo("bye\n");
    assertThat(systemd.unit("flotilla-app-greeter.service").activeState()).isEqualTo("active");
    assertThat(plan(greeter("bye"), List.of(v1)).lines()).isEmpty();

    var failing = applier.apply(plan(greeter("fail"), List.of(v1)));

    assertThat(failing.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("reconfigure app 'greeter' 1.0: health check failed: unit 'flotilla-app-greeter.service'")
        .endsWith("; went back to the previous unit file"));
    assertThat(systemd.unit("flotilla-app-greeter.service").activeState()).isEqualTo("active");
    assertThat(Files.readString(out)).isEqualTo("bye\n");
    assertThat(container.hostRoot().resolve("etc/systemd/system/flotilla-app-greeter.service"))
        .content().contains("Environment=GREETING=bye");
    assertThat(store.current("greeter")).isEqualTo("1.0");
    assertThat(plan(greeter("fail"), List.of(v1)).lines()).as("a unit that failed is not written again").isEmpty();
  }

  @Test
  void httpProbeOnTheHostsLoopbackPassesOn200AndGoesBackOn500() throws Exception {
    var v1 = serve("web-1.0", SLEEP);
    var v2 = serve("web-2.0", SLEEP);
    var healthy = applier.apply(plan(probed("web", "1.0", probeUrl("/ok")), List.of(v1)));
    assertThat(healthy.failed()).as(healthy.error().orElse("")).isFalse();
    assertThat(PROBES).containsKey("/ok");

    var applied = applier.apply(plan(probed("web", "2.0", probeUrl("/broken")), List.of(v1, v2)));

    assertThat(applied.error()).hasValue("switch app 'web' to 2.0: health check failed: probe '"
        + probeUrl("/broken") + "' answered 500, not 200; switched back to 1.0");
    assertThat(PROBES).containsKey("/broken");
    assertThat(store.current("web")).isEqualTo("1.0");
    assertThat(systemd.unit("flotilla-app-web.service").activeState()).isEqualTo("active");
  }

  @Test
  void httpProbeRefusedGoesBack() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    var refused = URI.create("http://127.0.0.1:" + closed + "/healthz");
    var v1 = serve("shop-1.0", SLEEP);
    var v2 = serve("shop-2.0", SLEEP);
    assertThat(applier.apply(plan(probed("shop", "1.0", probeUrl("/ok")), List.of(v1))).failed()).isFalse();

    var applied = applier.apply(plan(probed("shop", "2.0", refused), List.of(v1, v2)));

    assertThat(applied.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("switch app 'shop' to 2.0: health check failed: probe '" + refused + "': ")
        .contains("ConnectException")
        .endsWith("; switched back to 1.0"));
    assertThat(store.current("shop")).isEqualTo("1.0");
    assertThat(systemd.unit("flotilla-app-shop.service").activeState()).isEqualTo("active");
  }

  @Test
  void appNoLongerDeclaredIsStoppedDisabledAndRemovedLeavingTheOthersRunning() throws Exception {
    var leaver = serve("leaver-1.0", SLEEP);
    var stayer = serve("stayer-1.0", SLEEP);
    var both = app("leaver", "1.0", 0);
    both.setApps(List.of(both.getApps().get(0), app("stayer", "1.0", 0).getApps().get(0)));
    var installed = applier.apply(plan(both, List.of(leaver, stayer)));
    assertThat(installed.failed()).as(installed.error().orElse("")).isFalse();
    var enabled = container.exec("systemctl", "enable", "flotilla-app-leaver.service");
    assertThat(enabled.exit()).as(enabled.output()).isZero();

    var without = app("stayer", "1.0", 0);
    var owned = Inventory.declaredBy(both);
    var removal = plan(without, List.of(stayer), owned);
    var applied = applier.apply(removal);

    assertThat(removal.lines()).containsExactly("- app leaver (no longer declared)");
    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    assertThat(container.exec("systemctl", "is-active", "flotilla-app-leaver.service").output().strip())
        .isEqualTo("inactive");
    var state = container.exec("systemctl", "is-enabled", "flotilla-app-leaver.service");
    assertThat(state.exit()).as(state.output()).isNotZero();
    assertThat(state.output().strip())
        .isEqualTo("Failed to get unit file state for flotilla-app-leaver.service: No such file or directory");
    assertThat(systemd.unit("flotilla-app-leaver.service").loadState()).isEqualTo("not-found");
    assertThat(container.hostRoot().resolve("etc/systemd/system/flotilla-app-leaver.service")).doesNotExist();
    assertThat(container.hostRoot().resolve("etc/systemd/system/multi-user.target.wants/flotilla-app-leaver.service"))
        .doesNotExist();
    assertThat(container.hostRoot().resolve("var/lib/flotilla/apps/leaver")).doesNotExist();
    assertThat(container.exec("systemctl", "is-active", "flotilla-app-stayer.service").output().strip())
        .isEqualTo("active");
    assertThat(store.current("stayer")).isEqualTo("1.0");
    assertThat(applier.apply(removal).results()).as("a second apply finds nothing left")
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED));
    assertThat(plan(without, List.of(stayer), Inventory.declaredBy(without)).lines()).isEmpty();
  }

  @Test
  void appWhoseUnitNameChangesAtTheSameVersionMovesToTheNewUnit() throws Exception {
    var v1 = serve("mover-1.0", SLEEP);
    var before = app("mover", "1.0", 1);
    assertThat(applier.apply(plan(before, List.of(v1))).failed()).isFalse();
    var after = app("mover", "1.0", 1);
    after.getApps().get(0).setUnit("mover.service");

    var move = plan(after, List.of(v1), Inventory.declaredBy(before));
    var applied = applier.apply(move);

    assertThat(move.lines()).containsExactly("~ app mover 1.0 (unit flotilla-app-mover.service -> mover.service)");
    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    assertThat(systemd.unit("mover.service").activeState()).isEqualTo("active");
    assertThat(systemd.unit("flotilla-app-mover.service").activeState()).isEqualTo("inactive");
    assertThat(systemd.unit("flotilla-app-mover.service").loadState()).as("systemd was reloaded").isEqualTo("not-found");
    assertThat(container.hostRoot().resolve("etc/systemd/system/flotilla-app-mover.service")).doesNotExist();
    assertThat(plan(after, List.of(v1), Inventory.declaredBy(after)).lines()).isEmpty();
  }

  @Test
  void newUnitFailingItsHealthCheckGoesBackToTheOldUnit() throws Exception {
    var v1 = serve("hopper-1.0", "#!/bin/sh\n[ \"$GREETING\" = fail ] && exit 1\nexec sleep infinity\n");
    var before = app("hopper", "1.0", 1);
    assertThat(applier.apply(plan(before, List.of(v1))).failed()).isFalse();
    var after = app("hopper", "1.0", 1);
    after.getApps().get(0).setUnit("hopper.service");
    after.getApps().get(0).setEnvironment(Map.of("GREETING", "fail"));

    var applied = applier.apply(plan(after, List.of(v1), Inventory.declaredBy(before)));

    assertThat(applied.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("reconfigure app 'hopper' 1.0: health check failed: unit 'hopper.service'")
        .endsWith("; went back to unit 'flotilla-app-hopper.service'"));
    assertThat(container.exec("systemctl", "is-active", "flotilla-app-hopper.service").output().strip())
        .isEqualTo("active");
    assertThat(systemd.unit("hopper.service").activeState()).isNotEqualTo("active");
    assertThat(container.hostRoot().resolve("etc/systemd/system/flotilla-app-hopper.service")).exists();
    assertThat(container.hostRoot().resolve("etc/systemd/system/hopper.service")).doesNotExist();
    assertThat(store.current("hopper")).isEqualTo("1.0");
    assertThat(plan(after, List.of(v1), Inventory.declaredBy(before)).lines()).as("a failed move is not retried")
        .isEmpty();
  }

  private static URI probeUrl(String path) {
    return URI.create("http://127.0.0.1:" + probes.getAddress().getPort() + path);
  }

  private static DesiredState probed(String name, String version, URI url) {
    var desired = app(name, version, 0);
    var http = new dev.flotilla.model.HttpProbe();
    http.setUrl(url);
    desired.getApps().get(0).getHealthCheck().setHttp(http);
    desired.getApps().get(0).getHealthCheck().setTimeout("2s"); // the probe is retried until the timeout
    return desired;
  }

  private static DesiredState greeter(String greeting) {
    var desired = app("greeter", "1.0", 1);
    desired.getApps().get(0).setEnvironment(Map.of("GREETING", greeting));
    return desired;
  }

  private static void killVersionTwo() {
    var pidFile = container.hostRoot().resolve("run/ticker-2.pid");
    try {
      while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
        Thread.sleep(20);
      }
      // minbase has no kill(1); the shell's builtin sends the signal
      var killed = container.exec("/bin/sh", "-c", "kill -9 " + Files.readString(pidFile).strip());
      assertThat(killed.exit()).as(killed.output()).isZero();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Plan plan(DesiredState desired, List<BundleArtifact> artifacts) throws IOException {
    return plan(desired, artifacts, Inventory.EMPTY);
  }

  private static Plan plan(DesiredState desired, List<BundleArtifact> artifacts, Inventory owned) throws IOException {
    return Planner.plan(desired, Map.of(), artifacts, host.observe(desired, owned), owned);
  }

  private static BundleArtifact serve(String name, String script) {
    var bytes = script.getBytes(StandardCharsets.UTF_8);
    SERVED.put(name, bytes);
    var artifact = new BundleArtifact();
    artifact.setName(name.substring(0, name.indexOf('-')));
    artifact.setVersion(name.substring(name.indexOf('-') + 1));
    artifact.setType(ArtifactType.BINARY);
    artifact.setDigest(Digest.sha256(bytes).toString());
    artifact.setSize((long) bytes.length);
    artifact.setUrls(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/a/" + name)));
    return artifact;
  }

  private static DesiredState app(String name, String version, long minReadySeconds) {
    var check = new HealthCheck();
    check.setMinReadySeconds(minReadySeconds);
    check.setTimeout("30s");
    var spec = new AppSpec();
    spec.setName(name);
    spec.setArtifact(name);
    spec.setVersion(version);
    spec.setCommand(List.of(name));
    spec.setHealthCheck(check);
    var state = new DesiredState();
    state.setApps(List.of(spec));
    return state;
  }
}
