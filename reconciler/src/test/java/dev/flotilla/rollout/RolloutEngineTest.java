package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.BreachAction;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.Observation.Health;
import dev.flotilla.rollout.RolloutEngine.Observed;
import dev.flotilla.rollout.RolloutPlan.PlannedWave;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transition of the rollout state machine, as a table: a plan, a state reached by earlier steps, what the
 * devices report and the time, and the phase, wave and reason that must follow.
 */
class RolloutEngineTest {
  static final Instant T0 = Instant.parse("2026-11-24T01:30:00Z");
  static final List<String> LAST = List.of("e", "f", "g", "h", "i", "j");

  /** One row: how to get there, what happens, what must follow. */
  record Case(String name, UnaryOperator<RolloutPlan> plan, Setup setup, Observed observed, Instant at,
      RolloutPhase phase, int wave, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Drives the engine from Pending to the state a case starts in, under the plain plan. */
  interface Setup {
    RolloutState reach(RolloutPlan plan);
  }

  static RolloutPlan plan() {
    return new RolloutPlan("ui-1-5", "acme", "kiosk-ui", "1.5.0", List.of(
        new PlannedWave("canary", Duration.ofMinutes(10), List.of("a")),
        new PlannedWave("early", Duration.ZERO, List.of("b", "c", "d")),
        new PlannedWave("rest", Duration.ofMinutes(30), LAST)),
        0.3, Duration.ofMinutes(5), true, BreachAction.ROLLBACK, false, false, null);
  }

  static RolloutPlan with(RolloutPlan p, Boolean paused, Boolean aborted, BreachAction onBreach, String accept,
      Boolean failOnNoReport) {
    return new RolloutPlan(p.rollout(), p.tenant(), p.artifact(), p.version(), p.waves(), p.maxFailureRatio(),
        p.healthTimeout(), failOnNoReport == null ? p.failOnNoReport() : failOnNoReport,
        onBreach == null ? p.onBreach() : onBreach, paused == null ? p.paused() : paused,
        aborted == null ? p.aborted() : aborted, accept == null ? p.continueAfterBreach() : accept);
  }

  static Observed report(Instant at, Health health, String version, List<String> devices) {
    var reports = new HashMap<String, Observation>();
    devices.forEach(d -> reports.put(d, new Observation(version, health, at)));
    return new Observed(reports, Set.of());
  }

  static Observed healthy(Instant at, List<String> devices) {
    return report(at, Health.HEALTHY, "1.5.0", devices);
  }

  static Observed merge(Observed... all) {
    var reports = new HashMap<String, Observation>();
    Stream.of(all).forEach(o -> reports.putAll(o.reports()));
    return new Observed(reports, Set.of());
  }

  static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static RolloutState pending(RolloutPlan p) {
    return RolloutState.pending(p, T0);
  }

  static RolloutState progressing0(RolloutPlan p) {
    return RolloutEngine.step(p, null, Observed.NOTHING, T0);
  }

  static RolloutState baking0(RolloutPlan p) {
    return RolloutEngine.step(p, progressing0(p), healthy(t(1), List.of("a")), t(1));
  }

  /** Wave 'rest' in progress: canary baked, 'early' healthy and (bake 0) done at minute 12. */
  static RolloutState progressing2(RolloutPlan p) {
    var early = RolloutEngine.step(p, baking0(p), healthy(t(11), List.of("a")), t(11));
    return RolloutEngine.step(p, early, healthy(t(12), List.of("a", "b", "c", "d")), t(12));
  }

  static RolloutState baking2(RolloutPlan p) {
    return RolloutEngine.step(p, progressing2(p), healthy(t(13), all()), t(13));
  }

  static RolloutState rollingBack(RolloutPlan p) {
    return RolloutEngine.step(p, progressing2(p), failedLast(4, t(13)), t(13));
  }

  static Observed failedLast(int failures, Instant at) {
    return merge(healthy(at, List.of("a", "b", "c", "d")), healthy(at, LAST.subList(failures, 6)),
        report(at, Health.FAILED, "1.5.0", LAST.subList(0, failures)));
  }

  static List<String> all() {
    return List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
  }

  static RolloutState breachPaused(RolloutPlan p) {
    return RolloutEngine.step(with(p, null, null, BreachAction.PAUSE, null, null), progressing2(p),
        failedLast(2, t(13)), t(13));
  }

  static Stream<Case> cases() {
    UnaryOperator<RolloutPlan> same = p -> p;
    UnaryOperator<RolloutPlan> paused = p -> with(p, true, null, null, null, null);
    UnaryOperator<RolloutPlan> aborted = p -> with(p, null, true, null, null, null);
    UnaryOperator<RolloutPlan> pauseOnBreach = p -> with(p, null, null, BreachAction.PAUSE, null, null);
    UnaryOperator<RolloutPlan> accepted = p -> with(p, null, null, BreachAction.PAUSE, "rest", null);
    UnaryOperator<RolloutPlan> lenient = p -> with(p, null, null, null, null, false);
    var pausedMidBake = (Setup) p -> RolloutEngine.step(with(p, true, null, null, null, null), baking0(p),
        Observed.NOTHING, t(2));
    return Stream.of(
        new Case("pendingStartsTheFirstWave", same, RolloutEngineTest::pending, Observed.NOTHING, T0,
            RolloutPhase.PROGRESSING, 0, "WaveStarted"),
        new Case("pausedBeforeStartWaits", paused, RolloutEngineTest::pending, Observed.NOTHING, T0,
            RolloutPhase.PAUSED, 0, "PausedByOperator"),
        new Case("progressingWaitsForReports", same, RolloutEngineTest::progressing0, Observed.NOTHING, t(1),
            RolloutPhase.PROGRESSING, 0, "WaveStarted"),
        new Case("aReportFromBeforeTheUpdateDoesNotCount", same, RolloutEngineTest::progressing0,
            healthy(T0.minusSeconds(1), List.of("a")), t(1), RolloutPhase.PROGRESSING, 0, "WaveStarted"),
        new Case("theOldVersionHealthyIsStillPending", same, RolloutEngineTest::progressing0,
            report(t(1), Health.HEALTHY, "1.4.0", List.of("a")), t(1), RolloutPhase.PROGRESSING, 0, "WaveStarted"),
        new Case("aHealthyWaveBakes", same, RolloutEngineTest::progressing0, healthy(t(1), List.of("a")), t(1),
            RolloutPhase.BAKING, 0, "WaveHealthy"),
        new Case("bakingWaitsForTheBakeTime", same, RolloutEngineTest::baking0, healthy(t(5), List.of("a")), t(5),
            RolloutPhase.BAKING, 0, "WaveHealthy"),
        new Case("aBakedWaveStartsTheNext", same, RolloutEngineTest::baking0, healthy(t(11), List.of("a")), t(11),
            RolloutPhase.PROGRESSING, 1, "WaveStarted"),
        new Case("noBakeTimeStartsTheNextWaveAtOnce", same, RolloutEngineTest::progressing2, Observed.NOTHING, t(12),
            RolloutPhase.PROGRESSING, 2, "WaveStarted"),
        new Case("aFailureDuringBakeRollsBack", same, RolloutEngineTest::baking0,
            report(t(3), Health.FAILED, "1.5.0", List.of("a")), t(3), RolloutPhase.ROLLING_BACK, 0,
            "FailureRatioReached"),
        new Case("theLastWaveBakedSucceeds", same, RolloutEngineTest::baking2, healthy(t(44), all()), t(44),
            RolloutPhase.SUCCEEDED, 2, "AllWavesHealthy"),
        new Case("failuresBelowTheRatioWait", same, RolloutEngineTest::progressing2,
            merge(healthy(t(13), all().subList(0, 5)), report(t(13), Health.FAILED, "1.5.0", List.of("e"))), t(13),
            RolloutPhase.PROGRESSING, 2, "WaveStarted"),
        new Case("failuresAtTheRatioRollBack", same, RolloutEngineTest::progressing2, failedLast(2, t(13)), t(13),
            RolloutPhase.ROLLING_BACK, 2, "FailureRatioReached"),
        new Case("noReportWithinTheHealthTimeoutFails", same, RolloutEngineTest::progressing0, Observed.NOTHING,
            t(5), RolloutPhase.ROLLING_BACK, 0, "FailureRatioReached"),
        new Case("noReportIsNotAFailureWhenFailOnNoReportIsFalse", lenient, RolloutEngineTest::progressing0,
            Observed.NOTHING, t(5), RolloutPhase.BAKING, 0, "WaveHealthy"),
        new Case("aBreachPausesWithOnBreachPause", pauseOnBreach, RolloutEngineTest::progressing2,
            failedLast(2, t(13)), t(13), RolloutPhase.PAUSED, 2, "FailureRatioReached"),
        new Case("aBreachPauseWaitsForAnOperator", pauseOnBreach, RolloutEngineTest::breachPaused,
            failedLast(2, t(20)), t(20), RolloutPhase.PAUSED, 2, "FailureRatioReached"),
        new Case("anAcceptedBreachGoesOn", accepted, RolloutEngineTest::breachPaused, failedLast(2, t(20)), t(20),
            RolloutPhase.BAKING, 2, "WaveHealthy"),
        new Case("anOperatorPausesAWave", paused, RolloutEngineTest::baking0, Observed.NOTHING, t(2),
            RolloutPhase.PAUSED, 0, "PausedByOperator"),
        new Case("pausedStartsNoWavePastTheBakeTime", paused, pausedMidBake, healthy(t(30), List.of("a")), t(30),
            RolloutPhase.PAUSED, 0, "PausedByOperator"),
        new Case("resumedGoesBackToBaking", same, pausedMidBake, healthy(t(5), List.of("a")), t(5),
            RolloutPhase.BAKING, 0, "Resumed"),
        new Case("resumedPastTheBakeTimeStartsTheNextWave", same, pausedMidBake, healthy(t(30), List.of("a")),
            t(30), RolloutPhase.PROGRESSING, 1, "WaveStarted"),
        new Case("abortStops", aborted, RolloutEngineTest::progressing2, Observed.NOTHING, t(13),
            RolloutPhase.ABORTED, 2, "AbortedByOperator"),
        new Case("rollingBackWaitsForThePreviousVersion", same, RolloutEngineTest::rollingBack,
            failedLast(4, t(14)), t(14), RolloutPhase.ROLLING_BACK, 2, "FailureRatioReached"),
        new Case("rollingBackEndsWhenEveryUpdatedDeviceRunsThePreviousVersion", same,
            RolloutEngineTest::rollingBack, report(t(14), Health.HEALTHY, "1.4.0", all()), t(14),
            RolloutPhase.ROLLED_BACK, 2, "RollbackComplete"),
        new Case("rollingBackEndsUnconfirmedAfterTheHealthTimeout", same, RolloutEngineTest::rollingBack,
            report(t(14), Health.HEALTHY, "1.4.0", all().subList(0, 9)), t(18), RolloutPhase.ROLLED_BACK, 2,
            "RollbackUnconfirmed"),
        new Case("rolledBackStaysRolledBack", same,
            p -> RolloutEngine.step(p, rollingBack(p), report(t(14), Health.HEALTHY, "1.4.0", all()), t(14)),
            healthy(t(20), all()), t(20), RolloutPhase.ROLLED_BACK, 2, "RollbackComplete"),
        new Case("anotherVersionStartsAgain",
            p -> new RolloutPlan(p.rollout(), p.tenant(), p.artifact(), "1.6.0", p.waves(), p.maxFailureRatio(),
                p.healthTimeout(), true, p.onBreach(), false, false, null),
            p -> baking2(plan()), Observed.NOTHING, t(50), RolloutPhase.PROGRESSING, 0, "WaveStarted"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void transition(Case c) {
    var plan = c.plan().apply(plan());
    var state = c.setup().reach(plan());
    var next = RolloutEngine.step(plan, state, c.observed(), c.at());
    assertThat(next.phase()).as("phase").isEqualTo(c.phase());
    assertThat(next.wave()).as("wave").isEqualTo(c.wave());
    assertThat(next.decisions().getLast().reason()).as("reason").isEqualTo(c.reason());
    assertThat(RolloutEngine.step(plan, next, c.observed(), c.at())).as("a second step changes nothing").isSameAs(next);
  }
}
