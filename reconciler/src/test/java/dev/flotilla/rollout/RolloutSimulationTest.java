package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.RolloutState.Decision;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulation plays the real engine: what a set of failures would trigger. */
class RolloutSimulationTest {
  @Test
  void aHealthyRolloutSucceedsAfterEveryBake() {
    var end = RolloutSimulation.run(RolloutEngineTest.plan(), Set.of(), RolloutEngineTest.T0);
    assertThat(end.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
    assertThat(end.decisions()).extracting(Decision::reason).containsExactly("WaveStarted", "WaveHealthy",
        "WaveStarted", "WaveHealthy", "WaveStarted", "WaveHealthy", "AllWavesHealthy");
    assertThat(RolloutSimulation.offset(RolloutEngineTest.T0, end.updatedAt())).isEqualTo("40m3s");
  }

  @Test
  void fourFailuresInTheLastWaveRollEverythingBack() {
    var end = RolloutSimulation.run(RolloutEngineTest.plan(), Set.of("e", "f", "g", "h"), RolloutEngineTest.T0);
    assertThat(end.phase()).isEqualTo(RolloutPhase.ROLLED_BACK);
    var breach = end.decisions().get(end.decisions().size() - 2);
    assertThat(breach.reason()).isEqualTo("FailureRatioReached");
    assertThat(breach.counts()).isEqualTo(new Counts(2, 4, 0, 6));
  }

  @Test
  void oneFailureInTheLastWaveIsBelowTheRatio() {
    var end = RolloutSimulation.run(RolloutEngineTest.plan(), Set.of("j"), RolloutEngineTest.T0);
    assertThat(end.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
  }
}
