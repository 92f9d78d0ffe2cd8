package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.status.StatusBoard;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.model.AppStatus;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.model.StatusReport;
import dev.flotilla.rollout.RolloutRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real reconciler (Git repo, status branch pushed with compare-and-swap, TLS server) running the template's
 * kiosk-ui rollout over the template's nine claimed kiosks (four of them given keys here), with windows and bake times taken out. Device health is put into the
 * reconciler's status board directly, as the API does on a report, to time the decision itself: the last report of
 * a wave → the next wave's bundles published. (The 10-agent IT with real apps on systemd is not here; see README.)
 */
class RolloutReconcilerIT {
  static final List<String> KIOSKS = List.of("kiosk-berlin-01-a", "kiosk-berlin-01-b", "kiosk-berlin-02-a",
      "kiosk-hamburg-02-a");
  @TempDir
  Path work;
  LiveFleet fleet;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(KIOSKS);
    var policy = fleet.repo.resolve("tenants/acme-retail/policies/kiosk.yaml");
    var text = Files.readString(policy);
    Files.writeString(policy, text.substring(0, text.indexOf("  maintenanceWindows:")) + text.substring(
        text.indexOf("  watchers:")));
    var rollout = fleet.repo.resolve("tenants/acme-retail/rollouts/kiosk-ui-1-5.yaml");
    Files.writeString(rollout, Files.readString(rollout).replaceAll("bakeTime: \\w+", "bakeTime: 0s"));
    fleet.commit("Enrol four kiosks; no windows, no bake times");
    fleet.startReconciler(Duration.ofMinutes(5)); // passes come from reports, not the interval
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  RolloutRunner.RolloutView rollout() {
    var result = fleet.server.reconciler().rollouts();
    return result == null ? null : result.rollouts().getFirst();
  }

  static void report(StatusBoard board, String device, String version) {
    report(board, device, version, "Healthy");
  }

  static void report(StatusBoard board, String device, String version, String health) {
    var report = new StatusReport();
    report.setDevice(device);
    var app = new AppStatus();
    app.setName("kiosk-ui");
    app.setVersion(version);
    app.setHealth(health);
    report.setApps(List.of(app));
    board.put(device, report, Instant.now());
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); !condition.getAsBoolean()
        && System.nanoTime() < deadline; ) {
      Thread.sleep(1);
    }
  }

  @Test
  void aHealthyWaveStartsTheNextWithinOnePassAndARestartResumes() throws Exception {
    var canary = rollout().plan().waves().getFirst().devices();
    var early = rollout().plan().waves().get(1).devices();
    assertThat(canary).containsExactly("kiosk-berlin-01-a");
    assertThat(rollout().state().phase()).isEqualTo(RolloutPhase.PROGRESSING);
    var before = fleet.served(early.getFirst());

    var reported = System.nanoTime();
    report(fleet.server.statuses(), canary.getFirst(), "1.5.0");
    await(() -> fleet.served(early.getFirst()) != before && fleet.served(early.getLast()) != before);
    var latency = Duration.ofNanos(System.nanoTime() - reported);
    System.out.println("decision latency (last report of wave 'canary' -> wave 'early' published): "
        + latency.toMillis() + " ms");
    assertThat(rollout().state().wave()).isEqualTo(1);
    assertThat(fleet.served(early.getFirst())).isNotEqualTo(before);

    var decisions = rollout().state().decisions();
    fleet.server.close();
    fleet.startReconciler(Duration.ofMinutes(5));
    assertThat(rollout().state().decisions()).as("resumed from the status branch").isEqualTo(decisions);

    early.forEach(d -> report(fleet.server.statuses(), d, "1.5.0"));
    var rest = rollout().plan().waves().get(2).devices();
    await(() -> rollout().state().phase() == RolloutPhase.PROGRESSING && rollout().state().wave() == 2);
    rest.forEach(d -> report(fleet.server.statuses(), d, "1.5.0"));
    await(() -> rollout().state().phase() == RolloutPhase.SUCCEEDED);
    assertThat(rollout().state().phase()).isEqualTo(RolloutPhase.SUCCEEDED);
    var log = fleet.git.log().add(fleet.git.getRepository().resolve("refs/heads/flotilla-status")).call();
    assertThat(log.iterator().next().getShortMessage())
        .startsWith("rollout acme-retail/kiosk-ui-1-5: Succeeded (AllWavesHealthy)");
  }

  String hash(String device) {
    return fleet.server.reconciler().publisher().get(device).contentHash();
  }

  String statusLog() throws Exception {
    var log = fleet.git.log().add(fleet.git.getRepository().resolve("refs/heads/flotilla-status")).call();
    return log.iterator().next().getShortMessage();
  }

  @Test
  void aFailedWaveRollsEveryUpdatedDeviceBackToThePreviousBundle() throws Exception {
    var original = new java.util.HashMap<String, String>();
    var plan = rollout().plan();
    var early = plan.waves().get(1).devices();
    early.forEach(d -> original.put(d, hash(d)));
    report(fleet.server.statuses(), plan.waves().getFirst().devices().getFirst(), "1.5.0");
    await(() -> rollout().state().wave() == 1);
    await(() -> early.stream().noneMatch(d -> hash(d).equals(original.get(d))));
    assertThat(early).allMatch(d -> !hash(d).equals(original.get(d)));

    report(fleet.server.statuses(), early.getFirst(), "1.5.0", "Failed");
    await(() -> rollout().state().phase() == RolloutPhase.ROLLING_BACK);
    assertThat(rollout().state().phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
    await(() -> early.stream().allMatch(d -> hash(d).equals(original.get(d))));
    assertThat(early).as("back on the bundles of version 1.4.0").allMatch(d -> hash(d).equals(original.get(d)));
    assertThat(statusLog()).startsWith("rollout acme-retail/kiosk-ui-1-5: RollingBack (FailureRatioReached): wave"
        + " 'early': 1 of 3 device(s) failed (ratio 0.33, limit 0.20); rolling back 4 updated device(s)");

    rollout().state().updated().forEach(d -> report(fleet.server.statuses(), d, "1.4.0"));
    await(() -> rollout().state().phase() == RolloutPhase.ROLLED_BACK);
    assertThat(statusLog()).startsWith("rollout acme-retail/kiosk-ui-1-5: RolledBack (RollbackComplete)");
  }

  @Test
  void pauseAndResumeThroughCommits() throws Exception {
    var rolloutFile = fleet.repo.resolve("tenants/acme-retail/rollouts/kiosk-ui-1-5.yaml");
    var text = Files.readString(rolloutFile);
    Files.writeString(rolloutFile, text.replace("  onBreach: rollback", "  onBreach: rollback\n  paused: true"));
    var commit = fleet.commit("Pause kiosk-ui-1-5");
    fleet.server.wakeUp();
    fleet.awaitServing(commit, Duration.ofSeconds(60));
    assertThat(rollout().state().phase()).isEqualTo(RolloutPhase.PAUSED);
    var passBefore = fleet.server.reconciler().status();
    report(fleet.server.statuses(), rollout().plan().waves().getFirst().devices().getFirst(), "1.5.0");
    await(() -> fleet.server.reconciler().status() != passBefore); // the report woke a pass
    assertThat(fleet.server.reconciler().status()).isNotSameAs(passBefore);
    assertThat(rollout().state().wave()).as("a paused rollout starts no wave").isZero();

    Files.writeString(rolloutFile, text);
    commit = fleet.commit("Resume kiosk-ui-1-5");
    fleet.server.wakeUp();
    fleet.awaitServing(commit, Duration.ofSeconds(60));
    await(() -> rollout().state().wave() == 1);
    assertThat(rollout().state().phase()).isEqualTo(RolloutPhase.PROGRESSING);
    assertThat(rollout().state().decisions()).extracting(d -> d.reason())
        .containsSequence("PausedByOperator", "Resumed");
  }
}
