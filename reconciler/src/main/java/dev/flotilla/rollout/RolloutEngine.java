package dev.flotilla.rollout;

import dev.flotilla.model.BreachAction;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.RolloutState.Decision;
import dev.flotilla.rollout.RolloutState.Member;
import dev.flotilla.rollout.RolloutState.WaveState;
import dev.flotilla.schema.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rollout state machine: Pending → Progressing (wave i) → Baking → Progressing (wave i+1) … → Succeeded; a
 * wave whose failed share reaches {@code maxFailureRatio} → RollingBack → RolledBack (or Paused, with
 * {@code onBreach: pause}); an operator's {@code paused} → Paused and back; {@code aborted} → Aborted.
 *
 * <p>Pure: the same plan, state, observations and time give the same next state. It performs every transition
 * the inputs allow in one call (a healthy wave with no bake time starts the next wave at once), and returns the
 * given state itself when nothing changes, so callers commit only real changes.
 */
public final class RolloutEngine {
  private RolloutEngine() {}

  /** What the engine sees: each device's last report about the rollout's app, and whose window is closed now. */
  public record Observed(Map<String, Observation> reports, Set<String> windowClosed) {
    public static final Observed NOTHING = new Observed(Map.of(), Set.of());
  }

  /**
   * The next state of {@code state} (null for a rollout never seen before) under {@code plan}. A state of another
   * artifact version than the plan's starts again from Pending.
   */
  public static RolloutState step(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    var current = state == null || !plan.version().equals(state.version()) || !plan.artifact().equals(state.artifact())
        ? RolloutState.pending(plan, now) : state;
    for (int i = 0; i <= 3 * plan.waves().size() + 3; i++) {
      var next = once(plan, current, observed, now);
      boolean moved = next.phase() != current.phase() || next.wave() != current.wave();
      current = next;
      if (!moved) {
        break;
      }
    }
    return current;
  }

  /** How the current wave's devices stand now. */
  public static Counts counts(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    var wave = state.currentWave();
    return wave == null ? Counts.NONE : count(plan, wave, observed, now);
  }

  /** How the devices of every started wave stand now, in wave order. */
  public static List<Counts> waveCounts(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    return state.waves().stream().map(w -> count(plan, w, observed, now)).toList();
  }

  private static RolloutState once(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    if (state.terminal()) {
      return state;
    }
    if (plan.aborted()) {
      return decide(state, RolloutPhase.ABORTED, state.wave(), null, false, state.waves(),
          counts(plan, state, observed, now), "AbortedByOperator",
          "aborted; " + state.updated().size() + " updated device(s) keep version " + plan.version(), now);
    }
    return switch (state.phase()) {
      case PENDING -> plan.paused() ? pause(plan, state, observed, now) : start(plan, state, 0, observed, now);
      case PROGRESSING, BAKING -> plan.paused() ? pause(plan, state, observed, now) : active(plan, state, observed, now);
      case PAUSED -> paused(plan, state, observed, now);
      case ROLLING_BACK -> rollingBack(plan, state, observed, now);
      default -> state;
    };
  }

  private static RolloutState start(RolloutPlan plan, RolloutState state, int index, Observed observed,
      Instant now) {
    if (index >= plan.waves().size()) {
      return decide(state, RolloutPhase.SUCCEEDED, state.wave(), null, false, state.waves(),
          counts(plan, state, observed, now), "AllWavesHealthy",
          "every wave healthy; " + state.updated().size() + " device(s) run version " + plan.version(), now);
    }
    var planned = plan.waves().get(index);
    var members = planned.devices().stream()
        .map(d -> new Member(d, observed.windowClosed().contains(d) ? null : now)).toList();
    var waves = new ArrayList<>(state.waves());
    waves.add(new WaveState(planned.name(), now, null, false, members));
    long waiting = members.stream().filter(m -> !m.updated()).count();
    return decide(state, RolloutPhase.PROGRESSING, index, null, false, waves,
        new Counts(0, 0, members.size(), members.size()), "WaveStarted", "wave '" + planned.name() + "' started: "
            + members.size() + " device(s)" + (waiting == 0 ? "" : ", " + waiting + " waiting for their maintenance window"),
        now);
  }

  private static RolloutState active(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    var wave = state.currentWave();
    var admitted = admit(wave, observed, now);
    var waves = replace(state.waves(), state.wave(), admitted);
    var counts = count(plan, admitted, observed, now);
    if (!admitted.breachAccepted() && counts.failed() > 0 && counts.failureRatio() >= plan.maxFailureRatio()) {
      return breach(plan, state, waves, counts, now);
    }
    if (state.phase() == RolloutPhase.PROGRESSING) {
      if (counts.pending() > 0) {
        return admitted == wave ? state : state.withWaves(waves, now);
      }
      var bake = bakeTime(plan, state.wave());
      return decide(state, RolloutPhase.BAKING, state.wave(), null, false,
          replace(waves, state.wave(), admitted.baking(now)), counts, "WaveHealthy",
          "wave '" + wave.name() + "': " + counts + "; baking for " + Durations.format(bake), now);
    }
    var baked = admitted.devices().isEmpty() || !now.isBefore(admitted.bakeStartedAt().plus(bakeTime(plan, state.wave())));
    if (baked) {
      return start(plan, state.withWaves(waves, now), state.wave() + 1, observed, now);
    }
    return admitted == wave ? state : state.withWaves(waves, now);
  }

  private static RolloutState breach(RolloutPlan plan, RolloutState state, List<WaveState> waves, Counts counts,
      Instant now) {
    var what = String.format(Locale.ROOT, "wave '%s': %d of %d device(s) failed (ratio %.2f, limit %.2f)",
        state.currentWave().name(), counts.failed(), counts.size(), counts.failureRatio(), plan.maxFailureRatio());
    if (plan.onBreach() == BreachAction.PAUSE) {
      return decide(state, RolloutPhase.PAUSED, state.wave(), state.phase(), true, waves, counts,
          "FailureRatioReached", what + "; paused; to go on, run 'flotilla rollout resume " + plan.rollout() + "'",
          now);
    }
    long updated = waves.stream().flatMap(w -> w.devices().stream()).filter(Member::updated).count();
    return decide(state, RolloutPhase.ROLLING_BACK, state.wave(), null, false, waves, counts, "FailureRatioReached",
        what + "; rolling back " + updated + " updated device(s) to the previous version", now);
  }

  private static RolloutState pause(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    return decide(state, RolloutPhase.PAUSED, state.wave(), state.phase(), false, state.waves(),
        counts(plan, state, observed, now), "PausedByOperator", "paused; no device gets the new version until resumed",
        now);
  }

  private static RolloutState paused(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    var wave = state.currentWave();
    if (state.breach()) {
      if (wave == null || !wave.name().equals(plan.continueAfterBreach())) {
        return state;
      }
      return decide(state, state.pausedFrom(), state.wave(), null, false,
          replace(state.waves(), state.wave(), wave.acceptBreach()), count(plan, wave, observed, now),
          "BreachAccepted", "an operator accepted the failures of wave '" + wave.name() + "'; going on", now);
    }
    if (plan.paused()) {
      return state;
    }
    return decide(state, state.pausedFrom(), state.wave(), null, false, state.waves(),
        counts(plan, state, observed, now), "Resumed", "resumed by an operator", now);
  }

  private static RolloutState rollingBack(RolloutPlan plan, RolloutState state, Observed observed, Instant now) {
    var since = state.lastDecisionAt();
    var updated = state.updated();
    int waiting = 0;
    for (var device : updated) {
      var report = observed.reports().get(device);
      if (report == null || report.receivedAt().isBefore(since) || plan.version().equals(report.version())) {
        waiting++;
      }
    }
    var counts = new Counts(updated.size() - waiting, 0, waiting, updated.size());
    if (waiting == 0) {
      return decide(state, RolloutPhase.ROLLED_BACK, state.wave(), null, false, state.waves(), counts,
          "RollbackComplete", "all " + updated.size() + " updated device(s) run the previous version again", now);
    }
    if (!now.isBefore(since.plus(plan.healthTimeout()))) {
      return decide(state, RolloutPhase.ROLLED_BACK, state.wave(), null, false, state.waves(), counts,
          "RollbackUnconfirmed", waiting + " of " + updated.size() + " device(s) did not report the previous version"
              + " within " + Durations.format(plan.healthTimeout()), now);
    }
    return state;
  }

  private static Counts count(RolloutPlan plan, WaveState wave, Observed observed, Instant now) {
    int succeeded = 0;
    int failed = 0;
    int pending = 0;
    for (var member : wave.devices()) {
      var report = member.updated() ? observed.reports().get(member.device()) : null;
      boolean fresh = report != null && !report.receivedAt().isBefore(member.updatedAt());
      if (!member.updated()) {
        pending++;
      } else if (fresh && report.health() == Observation.Health.FAILED) {
        failed++;
      } else if (fresh && report.health() == Observation.Health.HEALTHY && plan.version().equals(report.version())) {
        succeeded++;
      } else if (now.isBefore(member.updatedAt().plus(plan.healthTimeout()))) {
        pending++;
      } else if (plan.failOnNoReport()) {
        failed++;
      }
    }
    return new Counts(succeeded, failed, pending, wave.devices().size());
  }

  private static WaveState admit(WaveState wave, Observed observed, Instant now) {
    if (wave.devices().stream().allMatch(m -> m.updated() || observed.windowClosed().contains(m.device()))) {
      return wave;
    }
    return wave.withDevices(wave.devices().stream()
        .map(m -> m.updated() || observed.windowClosed().contains(m.device()) ? m : new Member(m.device(), now))
        .toList());
  }

  private static Duration bakeTime(RolloutPlan plan, int wave) {
    return wave < plan.waves().size() ? plan.waves().get(wave).bakeTime() : Duration.ZERO;
  }

  private static List<WaveState> replace(List<WaveState> waves, int index, WaveState wave) {
    var out = new ArrayList<>(waves);
    out.set(index, wave);
    return out;
  }

  private static RolloutState decide(RolloutState state, RolloutPhase phase, int wave, RolloutPhase pausedFrom,
      boolean breach, List<WaveState> waves, Counts counts, String reason, String message, Instant now) {
    var waveName = wave < waves.size() ? waves.get(wave).name() : null;
    return state.with(phase, wave, pausedFrom, breach, waves,
        new Decision(now, phase, waveName, counts, reason, message), now);
  }
}
