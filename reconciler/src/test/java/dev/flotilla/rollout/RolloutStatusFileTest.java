package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.model.RolloutPhase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status file round-trips, so a reconciler restarted mid-wave decides exactly what it would have decided. */
class RolloutStatusFileTest {

  @Test
  void aRestartMidWaveResumesExactlyWhereItWas() throws Exception {
    var plan = RolloutEngineTest.plan();
    var midWave = RolloutEngine.step(plan, RolloutEngineTest.progressing2(plan),
        RolloutEngineTest.healthy(RolloutEngineTest.t(13), List.of("a", "b", "c", "d", "e", "f")),
        RolloutEngineTest.t(13));
    assertThat(midWave.phase()).isEqualTo(RolloutPhase.PROGRESSING);
    var bytes = RolloutStatusFile.write(midWave);
    var restarted = RolloutStatusFile.read("status/rollouts/acme/ui-1-5.yaml", bytes);
    assertThat(RolloutStatusFile.write(restarted)).isEqualTo(bytes);

    var reports = RolloutEngineTest.failedLast(4, RolloutEngineTest.t(14));
    var uninterrupted = RolloutEngine.step(plan, midWave, reports, RolloutEngineTest.t(14));
    var resumed = RolloutEngine.step(plan, restarted, reports, RolloutEngineTest.t(14));
    assertThat(resumed.phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
    assertThat(RolloutStatusFile.write(resumed)).isEqualTo(RolloutStatusFile.write(uninterrupted));
  }

  @Test
  void writesTheDecisionsPeopleRead() {
    var plan = RolloutEngineTest.plan();
    var text = new String(RolloutStatusFile.write(RolloutEngineTest.rollingBack(plan)), StandardCharsets.UTF_8);
    assertThat(text).contains("phase: RollingBack", "reason: FailureRatioReached", "failureRatio: 0.667",
        "message: \"wave 'rest': 4 of 6 device(s) failed (ratio 0.67, limit 0.30); rolling back 10 updated device(s)"
            + " to the previous version\"");
  }

  @Test
  void refusesAFileOffItsSchema() {
    assertThatThrownBy(() -> RolloutStatusFile.read("status/rollouts/acme/x.yaml",
        "apiVersion: flotilla.dev/v1\nkind: RolloutStatus\n".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("read rollout status: status/rollouts/acme/x.yaml:1:1: error: missing required field");
  }
}
