package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla devices --server} against a real reconciler over pinned HTTPS, guarded by a hook token, with one
 * enrolled agent that has applied and reported its bundle.
 */
class DevicesServerIT {
  static final String DEVICE = "kiosk-berlin-01-a";
  @TempDir
  Path work;
  LiveFleet fleet;
  Path token;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of(DEVICE));
    fleet.commit("Enrol one device");
    fleet.startReconciler(Duration.ofSeconds(1), "op-token-1");
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("first bundle applied").isTrue();
    token = work.resolve("token");
    Files.writeString(token, "op-token-1\n");
    while (!reported()) {
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  private boolean reported() {
    var entry = fleet.server.statuses().get(DEVICE);
    return entry != null && entry.report().getBundleVersion() != null
        && entry.report().getBundleVersion() == fleet.served(DEVICE);
  }

  private int resources() {
    return fleet.server.statuses().get(DEVICE).report().getResources().size();
  }

  private long compliant() {
    return fleet.server.statuses().get(DEVICE).report().getResources().stream()
        .filter(r -> Boolean.TRUE.equals(r.getCompliant())).count();
  }

  private Run devices(String... more) {
    var args = new java.util.ArrayList<>(List.of("devices", "--repo", fleet.repo.toString(),
        "--server", "https://127.0.0.1:" + fleet.server.address().getPort(),
        "--server-ca", fleet.server.serverCertificate().toString()));
    args.addAll(List.of(more));
    return Run.flotilla(args.toArray(String[]::new));
  }

  private static String row(Run run, String name) {
    return run.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
  }

  @Test
  void listsVersionLastSeenAndComplianceOfAReportedDevice() {
    var run = devices("--token-file", token.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow()).contains("VERSION", "LAST SEEN", "COMPLIANT");
    var columns = row(run, DEVICE).split("\\s+");
    assertThat(columns[5]).isEqualTo(Long.toString(fleet.served(DEVICE)));
    assertThat(columns[6] + " " + columns[7]).matches("\\d+s ago");
    // the sandboxed agent has no systemd: it reports its units and apps as resources, not compliant (NotManaged)
    assertThat(resources()).isPositive();
    assertThat(columns[8]).isEqualTo(compliant() + "/" + resources());
  }

  @Test
  void jsonCarriesTheReportedFields() throws Exception {
    var run = devices("--token-file", token.toString(), "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    var rows = new ObjectMapper().readTree(run.out());
    var live = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
        .filter(r -> r.path("name").asText().equals(DEVICE)).findFirst().orElseThrow().path("live");
    assertThat(live.path("publishedVersion").asLong()).isEqualTo(fleet.served(DEVICE));
    assertThat(live.path("reportedVersion").asLong()).isEqualTo(fleet.served(DEVICE));
    assertThat(live.path("ready").asText()).isEqualTo("True");
    assertThat(live.path("lastSeen").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(live.path("resources").asInt()).isPositive().isEqualTo(resources());
    assertThat(live.path("compliant").asInt()).isEqualTo(compliant());
  }

  @Test
  void withoutTheTokenTheServerAnswers401() {
    var run = devices();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("list devices from https://127.0.0.1:").contains("401")
        .contains("--token-file");
  }

  @Test
  void withoutServerTheColumnsAreDashesAndTheListStillWorks() {
    var run = Run.flotilla("devices", "--repo", fleet.repo.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    var columns = row(run, DEVICE).split("\\s+");
    assertThat(List.of(columns[5], columns[6], columns[7])).containsOnly("-");
  }
}
