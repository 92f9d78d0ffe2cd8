package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.publish.Published;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.trust.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Git repo and a running reconciler serving three tenants: the template's acme-retail (with its kiosk-ui
 * rollout) and globex-cafes, and a small initech. An invalid file in one tenant holds back only that tenant: its
 * devices keep the very bundles they had, the others move on to the commit, and status, /healthz, /metrics and the
 * log name the tenant and the file and line. A shared file holds back everyone.
 */
class TenantHoldBackIT {
  static final String ACME_DEVICE = "kiosk-berlin-02-a";
  static final String GLOBEX_DEVICE = "menu-paris-01-a";
  static final String INITECH_DEVICE = "pc-1";
  static final String POS_POLICY = "tenants/acme-retail/policies/pos.yaml";
  static final Logger LOG = Logger.getLogger("flotilla.reconciler");
  @TempDir
  Path work;
  LiveFleet fleet;
  final List<String> logged = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() throws Exception {
    LOG.addHandler(capture);
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    writeInitech();
    fleet.enrol(List.of("kiosk-berlin-01-a", "kiosk-berlin-01-b", "kiosk-berlin-02-a", "kiosk-hamburg-02-a",
        GLOBEX_DEVICE, INITECH_DEVICE));
    var kiosk = fleet.repo.resolve("tenants/acme-retail/policies/kiosk.yaml");
    var text = Files.readString(kiosk);
    Files.writeString(kiosk, text.substring(0, text.indexOf("  maintenanceWindows:"))
        + text.substring(text.indexOf("  watchers:")));
    var rollout = fleet.repo.resolve("tenants/acme-retail/rollouts/kiosk-ui-1-5.yaml");
    Files.writeString(rollout, Files.readString(rollout).replaceAll("bakeTime: \\w+", "bakeTime: 0s"));
    fleet.commit("Enrol devices of three tenants; no windows, no bake times");
    fleet.startReconciler(Duration.ofMinutes(5)); // passes come from wake-ups, not the interval
    assertThat(fleet.server.reconciler().status().reason()).isEqualTo("Reconciled");
  }

  @AfterEach
  void stop() throws Exception {
    LOG.removeHandler(capture);
    fleet.close();
  }

  void writeInitech() throws Exception {
    var dir = fleet.repo.resolve("tenants/initech");
    Files.createDirectories(dir.resolve("devices"));
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("tenant.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Tenant
        metadata:
          name: initech
        spec:
          displayName: Initech
          plan: business
        """);
    Files.writeString(dir.resolve("devices/pc-1.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Device
        metadata:
          name: pc-1
          tenant: initech
          labels: { role: pc }
        spec:
          channel: prod
          identity:
            hash: sha256:0000000000000000000000000000000000000000000000000000000000000000
        """);
    Files.writeString(dir.resolve("policies/base.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Policy
        metadata:
          name: base
          tenant: initech
        spec:
          selector: {}
          priority: 10
          state:
            sysctl:
              vm.swappiness: "10"
        """);
  }

  /** Changes a sysctl value in one policy of every tenant, so each tenant's devices would get a new bundle. */
  void changeEveryTenant() throws Exception {
    replace("tenants/acme-retail/policies/base-hardening.yaml", "kernel.kptr_restrict: \"2\"",
        "kernel.kptr_restrict: \"1\"");
    replace("tenants/globex-cafes/policies/base.yaml", "vm.swappiness: \"10\"", "vm.swappiness: \"20\"");
    replace("tenants/initech/policies/base.yaml", "vm.swappiness: \"10\"", "vm.swappiness: \"30\"");
  }

  void replace(String path, String from, String to) throws Exception {
    var file = fleet.repo.resolve(path);
    var text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  /** Adds a field the schema does not know to the pos policy; returns its line. */
  int breakPosPolicy() throws Exception {
    var file = fleet.repo.resolve(POS_POLICY);
    var lines = new java.util.ArrayList<>(Files.readAllLines(file));
    var at = lines.indexOf("  priority: 20") + 1;
    lines.add(at, "  colour: blue");
    Files.write(file, lines);
    return at + 1;
  }

  String commitAndWait(String message) throws Exception {
    var commit = fleet.commit(message);
    fleet.server.wakeUp();
    assertThat(fleet.awaitSeen(commit, Duration.ofSeconds(60))).isTrue();
    return commit;
  }

  Published published(String device) {
    return fleet.server.reconciler().publisher().get(device);
  }

  byte[] fetch(String device) throws Exception {
    var key = Keys.readPrivate(work.resolve("devices").resolve(device).resolve("device.pem"));
    var client = new DeviceClient(fleet.server.serverCertificate(), fleet.server.address().getPort());
    var response = client.get("/v1/devices/" + device + "/bundle", device, key);
    assertThat(response.statusCode()).as(device + " bundle").isEqualTo(200);
    return response.body();
  }

  /** {@code /healthz} as the operator, who sees the held-back tenants. */
  String health() throws Exception {
    var token = Files.readString(fleet.operatorTokenFile()).strip();
    return PinnedHttp.get(fleet.server.serverCertificate(), fleet.server.address().getPort(), "/healthz", token);
  }

  /** {@code /metrics}, on the reconciler's own metrics listener. */
  String metrics() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      var url = URI.create("http://127.0.0.1:" + fleet.server.metricsAddress().getPort() + "/metrics");
      return http.send(HttpRequest.newBuilder(url).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  @Test
  void invalidFileHoldsBackOnlyItsTenantUntilFixed() throws Exception {
    var acme = published(ACME_DEVICE);
    var acmeBytes = fetch(ACME_DEVICE);
    var globex = published(GLOBEX_DEVICE);
    var good = fleet.server.reconciler().status().good();
    changeEveryTenant();
    var line = breakPosPolicy();
    var bad = commitAndWait("Change every tenant; break acme's pos policy");

    var status = fleet.server.reconciler().status();
    assertThat(status.good().commit()).as("the commit is served to the other tenants").isEqualTo(bad);
    assertThat(status.reason()).isEqualTo("TenantsHeldBack");
    assertThat(status.heldBack()).containsOnlyKeys("acme-retail");
    var held = status.heldBack().get("acme-retail");
    assertThat(held.since().commit()).isEqualTo(bad);
    assertThat(held.lastGood()).isEqualTo(good);
    var where = POS_POLICY + ":" + line;
    assertThat(held.problems()).singleElement().asString().startsWith(where).contains("unknown field 'colour'");
    assertThat(status.message()).contains("'acme-retail'", where);

    assertThat(published(GLOBEX_DEVICE).version()).isGreaterThan(globex.version());
    assertThat(published(GLOBEX_DEVICE).sourceCommit()).isEqualTo(bad);
    assertThat(published(INITECH_DEVICE).sourceCommit()).isEqualTo(bad);
    assertThat(published(ACME_DEVICE).version()).as("same version").isEqualTo(acme.version());
    assertThat(published(ACME_DEVICE).bundle()).as("same bytes").isEqualTo(acme.bundle());
    assertThat(fetch(ACME_DEVICE)).as("served to the device unchanged").isEqualTo(acmeBytes);

    assertThat(health()).contains("\"acme-retail\"", where);
    assertThat(metrics()).contains("flotilla_reconciler_tenant_valid{tenant=\"acme-retail\"} 0.0",
        "flotilla_reconciler_tenant_valid{tenant=\"globex-cafes\"} 1.0",
        "flotilla_reconciler_tenant_valid{tenant=\"initech\"} 1.0");
    assertThat(logged).anySatisfy(m -> assertThat(m).contains("hold back tenant 'acme-retail'", where));

    Files.writeString(fleet.repo.resolve(POS_POLICY),
        Files.readString(fleet.repo.resolve(POS_POLICY)).replace("  colour: blue\n", ""));
    var fixed = commitAndWait("Fix acme's pos policy");
    status = fleet.server.reconciler().status();
    assertThat(status.reason()).isEqualTo("Reconciled");
    assertThat(status.heldBack()).isEmpty();
    assertThat(published(ACME_DEVICE).version()).isGreaterThan(acme.version());
    assertThat(published(ACME_DEVICE).sourceCommit()).isEqualTo(fixed);
    assertThat(metrics()).contains("flotilla_reconciler_tenant_valid{tenant=\"acme-retail\"} 1.0");
    assertThat(logged).anySatisfy(m -> assertThat(m).contains("tenant 'acme-retail'", "moves on"));
  }

  @Test
  void invalidFleetFileHoldsBackEveryone() throws Exception {
    var before = List.of(published(ACME_DEVICE), published(GLOBEX_DEVICE), published(INITECH_DEVICE));
    var good = fleet.server.reconciler().status().good();
    changeEveryTenant();
    replace("fleet.yaml", "  trustRoot: trust/root.json", "  trustRoot: trust/root.json\n  colour: blue");
    commitAndWait("Change every tenant; break fleet.yaml");

    var status = fleet.server.reconciler().status();
    assertThat(status.reason()).isEqualTo("InvalidCommit");
    assertThat(status.good()).isEqualTo(good);
    assertThat(status.message()).contains("fleet.yaml:");
    for (var published : before) {
      assertThat(published(published.device()).version()).as(published.device()).isEqualTo(published.version());
    }
  }

  @Test
  void duplicateIdentityAcrossTwoTenantsHoldsBackBothAndNoOther() throws Exception {
    var acme = published(ACME_DEVICE);
    var globex = published(GLOBEX_DEVICE);
    changeEveryTenant();
    var acmeFile = fleet.repo.resolve("tenants/acme-retail/devices/" + ACME_DEVICE + ".yaml");
    var hash = Files.readString(acmeFile).replaceAll("(?s).*hash: (sha256:[0-9a-f]{64}).*", "$1");
    var globexFile = "tenants/globex-cafes/devices/" + GLOBEX_DEVICE + ".yaml";
    var globexText = Files.readString(fleet.repo.resolve(globexFile));
    Files.writeString(fleet.repo.resolve(globexFile), globexText.replaceFirst("hash: sha256:[0-9a-f]{64}",
        "hash: " + hash));
    var bad = commitAndWait("Change every tenant; clone an acme identity into globex");

    var status = fleet.server.reconciler().status();
    assertThat(status.heldBack()).containsOnlyKeys("acme-retail", "globex-cafes");
    assertThat(status.heldBack().get("globex-cafes").problems()).singleElement().asString()
        .startsWith(globexFile + ":").contains("also claimed by 'tenants/acme-retail/devices/" + ACME_DEVICE);
    assertThat(status.heldBack().get("acme-retail").problems())
        .isEqualTo(status.heldBack().get("globex-cafes").problems());
    assertThat(published(ACME_DEVICE).bundle()).isEqualTo(acme.bundle());
    assertThat(published(GLOBEX_DEVICE).bundle()).isEqualTo(globex.bundle());
    assertThat(published(INITECH_DEVICE).sourceCommit()).as("the third tenant moves on").isEqualTo(bad);
  }

  RolloutRunner.RolloutView rollout() {
    return fleet.server.reconciler().rollouts().rollouts().stream()
        .filter(v -> v.plan().tenant().equals("acme-retail")).findFirst().orElseThrow();
  }

  @Test
  void rolloutOfAHeldBackTenantDoesNotAdvance() throws Exception {
    var canary = rollout().plan().waves().getFirst().devices().getFirst();
    var early = rollout().plan().waves().get(1).devices();
    var earlyBefore = published(early.getFirst());
    breakPosPolicy();
    commitAndWait("Break acme's pos policy");

    var passBefore = fleet.server.reconciler().status();
    RolloutReconcilerIT.report(fleet.server.statuses(), canary, "1.5.0");
    RolloutReconcilerIT.await(() -> fleet.server.reconciler().status() != passBefore); // the report woke a pass
    assertThat(fleet.server.reconciler().status()).isNotSameAs(passBefore);
    assertThat(rollout().state().wave()).as("a held-back tenant's rollout stays on its wave").isZero();
    assertThat(published(early.getFirst()).bundle()).isEqualTo(earlyBefore.bundle());

    Files.writeString(fleet.repo.resolve(POS_POLICY),
        Files.readString(fleet.repo.resolve(POS_POLICY)).replace("  colour: blue\n", ""));
    commitAndWait("Fix acme's pos policy");
    RolloutReconcilerIT.await(() -> rollout().state().wave() == 1);
    assertThat(rollout().state().wave()).isEqualTo(1);
  }
}
