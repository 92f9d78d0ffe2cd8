package dev.flotilla.rollout;

import dev.flotilla.model.RolloutPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Set;

/**
 * Plays a rollout through the real {@link RolloutEngine} on a virtual clock: every updated device reports healthy
 * a second after its update, except those in {@code failing}, which report Failed; bake times pass at once;
 * maintenance windows are open; a rollback is confirmed by every device. It stops at a terminal phase or a pause.
 * Pure: no I/O, no real clock.
 */
public final class RolloutSimulation {
  private static final int MAX_STEPS = 10_000;

  private RolloutSimulation() {}

  public static RolloutState run(RolloutPlan plan, Set<String> failing, Instant start) {
    RolloutState state = null;
    var now = start;
    for (int i = 0; i < MAX_STEPS; i++) {
      var next = RolloutEngine.step(plan, state, observe(plan, state, failing, now), now);
      if (next.terminal() || next.phase() == RolloutPhase.PAUSED) {
        return next;
      }
      state = next;
      now = advance(plan, state, now);
    }
    return state;
  }

  private static RolloutEngine.Observed observe(RolloutPlan plan, RolloutState state, Set<String> failing,
      Instant now) {
    var reports = new HashMap<String, Observation>();
    if (state != null) {
      boolean back = state.phase() == RolloutPhase.ROLLING_BACK;
      for (var device : state.updated()) {
        reports.put(device, back ? new Observation("previous", Observation.Health.HEALTHY, now)
            : new Observation(plan.version(), failing.contains(device) ? Observation.Health.FAILED
                : Observation.Health.HEALTHY, now));
      }
    }
    return new RolloutEngine.Observed(reports, Set.of());
  }

  private static Instant advance(RolloutPlan plan, RolloutState state, Instant now) {
    var step = now.plusSeconds(1);
    var wave = state.currentWave();
    if (state.phase() == RolloutPhase.BAKING && wave != null && state.wave() < plan.waves().size()) {
      var baked = wave.bakeStartedAt().plus(plan.waves().get(state.wave()).bakeTime());
      return baked.isAfter(step) ? baked : step;
    }
    return step;
  }

  /** How long after {@code start} something happened, as '1h30m' or '0s'. */
  public static String offset(Instant start, Instant at) {
    return dev.flotilla.schema.Durations.format(Duration.between(start, at));
  }
}
