package dev.flotilla.rollout;

import dev.flotilla.model.BreachAction;
import java.time.Duration;
import java.util.List;

/**
 * A rollout as the engine reads it: the spec with its defaults filled in, and the devices of every wave in the
 * order {@link WavePlanner} gives them. A value; the same repo and status give the same plan.
 *
 * @param healthTimeout how long an updated device has to report the new version healthy
 * @param continueAfterBreach the wave whose breach an operator accepted; null for none
 */
public record RolloutPlan(String rollout, String tenant, String artifact, String version, List<PlannedWave> waves,
    double maxFailureRatio, Duration healthTimeout, boolean failOnNoReport, BreachAction onBreach, boolean paused,
    boolean aborted, String continueAfterBreach) {

  public static final double DEFAULT_MAX_FAILURE_RATIO = 0.3;
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(10);

  public RolloutPlan {
    waves = List.copyOf(waves);
  }

  /** One wave: its name, bake time and devices, in order. */
  public record PlannedWave(String name, Duration bakeTime, List<String> devices) {
    public PlannedWave {
      devices = List.copyOf(devices);
    }
  }

  /** "tenant/name", the rollout's key in status, metrics and messages. */
  public String key() {
    return tenant + "/" + rollout;
  }
}
