package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.status.StatusBoard;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.model.AppStatus;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.model.StatusReport;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollout step over the template fleet (10 kiosks, rollout kiosk-ui-1-5 with waves of 1, 30% and the rest,
 * kiosk updates only 02:00–05:00 Berlin) with a status branch held in memory.
 */
class RolloutRunnerTest {
  static final Instant IN_WINDOW = Instant.parse("2026-11-24T01:30:00Z"); // Tuesday 02:30 in Berlin
  static final Instant OUT_OF_WINDOW = Instant.parse("2026-11-24T12:00:00Z");
  static final String KEY = "acme-retail/kiosk-ui-1-5";
  static FleetIndex index;

  /** A status branch in memory; {@code moveOnce} makes the next commit lose to another writer's. */
  static final class MemoryBranch implements StatusBranch {
    final Map<String, byte[]> files = new TreeMap<>();
    int commit;
    int commits;
    Map<String, byte[]> moveOnce;

    @Override
    public Snapshot read() {
      return new Snapshot(commit == 0 ? null : "c" + commit, new TreeMap<>(files));
    }

    @Override
    public String commit(String base, Map<String, byte[]> changes, String message) {
      if (moveOnce != null) {
        files.putAll(moveOnce);
        moveOnce = null;
        commit++;
      }
      if (!String.valueOf(base).equals(String.valueOf(commit == 0 ? null : "c" + commit))) {
        return null;
      }
      files.putAll(changes);
      commits++;
      return "c" + ++commit;
    }
  }

  @BeforeAll
  static void load() throws IOException {
    var clock = Clock.fixed(IN_WINDOW, ZoneOffset.UTC);
    var report = new FleetValidator(clock).validate(new DirectoryTree(Path.of("../fleet-repo-template")));
    index = FleetIndex.of(report.snapshot());
  }

  static RolloutRunner runner(StatusBranch branch, StatusBoard board, Instant at) {
    return new RolloutRunner(branch, board, Clock.fixed(at, ZoneOffset.UTC));
  }

  static RolloutRunner.RolloutView view(RolloutRunner.Result result) {
    return result.rollouts().stream().filter(v -> v.plan().key().equals(KEY)).findFirst().orElseThrow();
  }

  static void report(StatusBoard board, String device, String version, String health, Instant at) {
    var report = new StatusReport();
    report.setDevice(device);
    var app = new AppStatus();
    app.setName("kiosk-ui");
    app.setVersion(version);
    app.setHealth(health);
    report.setApps(List.of(app));
    board.put(device, report, at);
  }

  @Test
  void startsTheCanaryCommitsTheDecisionAndRendersTheNewVersionForIt() throws IOException {
    var branch = new MemoryBranch();
    var result = runner(branch, new StatusBoard(), IN_WINDOW).step(index);
    var view = view(result);
    assertThat(view.plan().waves()).extracting(w -> w.devices().size()).containsExactly(1, 3, 5);
    assertThat(view.state().phase()).isEqualTo(RolloutPhase.PROGRESSING);
    assertThat(branch.files).containsKey("status/rollouts/acme-retail/kiosk-ui-1-5.yaml");
    var canary = view.plan().waves().getFirst().devices().getFirst();
    assertThat(canary).isEqualTo("kiosk-berlin-01-a"); // the only dev-channel kiosk
    assertThat(result.versions().version(canary, "kiosk-ui")).isEqualTo("1.5.0");

    var device = index.snapshot().devices().stream()
        .filter(d -> d.resource().getMetadata().getName().equals(canary)).findFirst().orElseThrow();
    var rendered = new DeviceRenderer(index, result.versions()).render(device);
    assertThat(rendered.payload().getState().getApps()).extracting(a -> a.getVersion()).containsExactly("1.5.0");
    assertThat(rendered.payload().getArtifacts()).extracting(a -> a.getVersion()).containsExactly("1.5.0");
    assertThat(new DeviceRenderer(index, result.versions()).render(device).contentHash())
        .isEqualTo(rendered.contentHash());
    assertThat(new DeviceRenderer(index).render(device).contentHash()).isNotEqualTo(rendered.contentHash());
  }

  @Test
  void recordsEachCommittedDecisionOnceInHistoryWithTheStatusCommit() throws IOException {
    var history = new dev.flotilla.history.RecentHistory(100);
    var runner = runner(new MemoryBranch(), new StatusBoard(), IN_WINDOW).history(history);
    runner.step(index);
    runner.step(index);

    var events = history.query(dev.flotilla.history.HistoryQuery.ofTenant("acme-retail", 100));
    assertThat(events).extracting(e -> e.kind().wireName() + " " + e.commit() + " " + e.detail().path("reason")
        .asText() + " " + e.detail().path("wave").asText()).containsExactly("rollout c1 WaveStarted canary");
    assertThat(events.getFirst().detail().path("counts").path("size").asInt()).isEqualTo(1);
    assertThat(events.getFirst().detail().path("rollout").asText()).isEqualTo("kiosk-ui-1-5");
  }

  @Test
  void outsideTheMaintenanceWindowTheWaveStartsButNoDeviceIsUpdated() throws IOException {
    var result = runner(new MemoryBranch(), new StatusBoard(), OUT_OF_WINDOW).step(index);
    assertThat(view(result).state().phase()).isEqualTo(RolloutPhase.PROGRESSING);
    assertThat(view(result).state().updated()).isEmpty();
    assertThat(result.versions().isEmpty()).isTrue();
  }

  @Test
  void aRestartedRunnerResumesFromTheBranchAndCommitsNothingNew() throws IOException {
    var branch = new MemoryBranch();
    var board = new StatusBoard();
    var first = view(runner(branch, board, IN_WINDOW).step(index)).state();
    var canary = first.waves().getFirst().devices().getFirst().device();
    report(board, canary, "1.5.0", "Healthy", IN_WINDOW.plusSeconds(30));
    var baking = view(runner(branch, board, IN_WINDOW.plusSeconds(60)).step(index)).state();
    assertThat(baking.phase()).isEqualTo(RolloutPhase.BAKING);
    int commits = branch.commits;

    var restarted = runner(branch, board, IN_WINDOW.plusSeconds(90));
    var resumed = view(restarted.step(index)).state();
    assertThat(resumed.phase()).isEqualTo(RolloutPhase.BAKING);
    assertThat(resumed.decisions()).isEqualTo(baking.decisions());
    assertThat(branch.commits).isEqualTo(commits);
  }

  @Test
  void theLoserOfARaceReadsTheWinnersStateAndStepsFromIt() throws IOException {
    var winner = new MemoryBranch();
    var won = view(runner(winner, new StatusBoard(), IN_WINDOW.minusSeconds(5)).step(index)).state();
    var branch = new MemoryBranch();
    branch.moveOnce = winner.files;
    var lost = view(runner(branch, new StatusBoard(), IN_WINDOW).step(index)).state();
    assertThat(lost.waves().getFirst().startedAt()).isEqualTo(won.waves().getFirst().startedAt());
    assertThat(lost.decisions()).isEqualTo(won.decisions());
    assertThat(branch.commits).isZero();
  }
}
