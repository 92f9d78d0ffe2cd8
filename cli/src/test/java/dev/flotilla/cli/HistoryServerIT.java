package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.history.GitHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla history}, {@code device describe --server} and {@code status --server} against a real reconciler
 * over pinned HTTPS, with one enrolled agent that has applied and reported its bundle; and {@code history --repo}
 * reading the status branch the reconciler wrote.
 */
class HistoryServerIT {
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
    while (fleet.server.statuses().get(DEVICE) == null) {
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  private Run withServer(String... args) {
    var all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--repo", fleet.repo.toString(), "--server", "https://127.0.0.1:"
        + fleet.server.address().getPort(), "--server-ca", fleet.server.serverCertificate().toString(),
        "--token-file", token.toString()));
    return Run.flotilla(all.toArray(String[]::new));
  }

  @Test
  void historyFromTheServerShowsTheAcceptedCommitAndTheRolloutDecision() throws Exception {
    var run = withServer("history", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    var events = new ObjectMapper().readTree(run.out());
    var kinds = new ArrayList<String>();
    events.forEach(e -> kinds.add(e.path("kind").asText()));
    assertThat(kinds).contains("commit-accepted", "rollout");
    var rollout = withServer("history", "--tenant", "acme-retail", "--kind", "rollout");
    assertThat(rollout.out()).contains("rollout", "acme-retail", "wave 'canary' started");
    assertThat(withServer("history", "--kind", "reboot").exitCode()).isEqualTo(2);
  }

  @Test
  void historyOfflineReadsTheStatusBranchTheReconcilerWrote() throws Exception {
    ((GitHistory) fleet.server.history()).flush();

    var run = Run.flotilla("history", "--repo", fleet.repo.toString(), "--kind", "commit-accepted", "--since", "1h");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines()).hasSize(1).first().asString().contains("commit-accepted", "bundle(s) signed");
  }

  @Test
  void deviceDescribeShowsTheLastReportFailingResourcesAndRecentHistory() {
    var run = withServer("device", "describe", DEVICE);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("# tenants/acme-retail/devices/" + DEVICE + ".yaml\n")
        .contains("# observed by the reconciler\n", "last report: ", "failing resources:", "recent history:");
  }

  @Test
  void statusListsTheFailingDeviceWithItsFirstFailingResource() {
    // the sandboxed agent has no systemd: its units are reported as not compliant
    var run = withServer("status");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("devices failing or offline:\n  acme-retail/" + DEVICE)
        .containsPattern("acme-retail/" + DEVICE + " +online; failing \\w+ ");
  }
}
