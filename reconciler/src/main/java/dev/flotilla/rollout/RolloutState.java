package dev.flotilla.rollout;

import dev.flotilla.model.RolloutPhase;
import dev.flotilla.render.RolloutVersions;
import dev.flotilla.render.RolloutVersions.Given;
import dev.flotilla.render.RolloutVersions.Grant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one rollout stands: its phase, the index of its current wave, the waves started so far with their devices
 * (fixed when a wave starts) and every decision taken, oldest first. Immutable; {@link RolloutEngine} makes the
 * next one. This is what the status branch holds (see {@link RolloutStatusFile}).
 *
 * @param pausedFrom the phase a paused rollout returns to; null unless paused
 * @param breach     whether the rollout is paused because a wave reached its failure ratio
 */
public record RolloutState(String rollout, String tenant, String artifact, String version, RolloutPhase phase,
    int wave, RolloutPhase pausedFrom, boolean breach, Instant updatedAt, List<WaveState> waves,
    List<Decision> decisions) {

  public RolloutState {
    waves = List.copyOf(waves);
    decisions = List.copyOf(decisions);
  }

  /**
   * The versions these rollouts give devices, in tenant and name order: every device of a started wave that was
   * given the new version, while its rollout holds it (not Pending, RollingBack or RolledBack).
   */
  public static RolloutVersions versions(Collection<RolloutState> states) {
    return RolloutVersions.of(states.stream().filter(RolloutState::holdsNewVersion)
        .sorted(Comparator.comparing(RolloutState::tenant).thenComparing(RolloutState::rollout))
        .flatMap(s -> s.waves().stream().flatMap(w -> w.devices().stream().filter(Member::updated)
            .map(m -> new Grant(m.device(), s.artifact(), new Given(s.version(), s.rollout(), w.name())))))
        .toList());
  }

  /** A started wave: its devices, when each got the new version (null while its maintenance window is closed). */
  public record WaveState(String name, Instant startedAt, Instant bakeStartedAt, boolean breachAccepted,
      List<Member> devices) {
    public WaveState {
      devices = List.copyOf(devices);
    }

    WaveState withDevices(List<Member> members) {
      return new WaveState(name, startedAt, bakeStartedAt, breachAccepted, members);
    }

    WaveState baking(Instant at) {
      return new WaveState(name, startedAt, at, breachAccepted, devices);
    }

    WaveState acceptBreach() {
      return new WaveState(name, startedAt, bakeStartedAt, true, devices);
    }
  }

  /** One device of a wave and when it was given the new version. */
  public record Member(String device, Instant updatedAt) {
    public boolean updated() {
      return updatedAt != null;
    }
  }

  /** One phase change with the wave's counts at that moment. */
  public record Decision(Instant at, RolloutPhase phase, String wave, Counts counts, String reason, String message) {}

  /** A fresh rollout of {@code plan}'s artifact version that has done nothing yet. */
  public static RolloutState pending(RolloutPlan plan, Instant now) {
    return new RolloutState(plan.rollout(), plan.tenant(), plan.artifact(), plan.version(), RolloutPhase.PENDING, 0,
        null, false, now, List.of(), List.of());
  }

  /** Whether nothing will change any more: Succeeded, RolledBack or Aborted. */
  public boolean terminal() {
    return phase == RolloutPhase.SUCCEEDED || phase == RolloutPhase.ROLLED_BACK || phase == RolloutPhase.ABORTED;
  }

  /** Whether devices given the new version run it: every phase but Pending, RollingBack and RolledBack. */
  public boolean holdsNewVersion() {
    return phase != RolloutPhase.PENDING && phase != RolloutPhase.ROLLING_BACK && phase != RolloutPhase.ROLLED_BACK;
  }

  /** The devices given the new version so far, in wave order. */
  public Set<String> updated() {
    var out = new LinkedHashSet<String>();
    waves.forEach(w -> w.devices().stream().filter(Member::updated).forEach(m -> out.add(m.device())));
    return out;
  }

  /** The current wave, or null before the first starts. */
  public WaveState currentWave() {
    return wave < waves.size() ? waves.get(wave) : null;
  }

  /** The time of the newest decision, or {@code updatedAt} when there is none. */
  public Instant lastDecisionAt() {
    return decisions.isEmpty() ? updatedAt : decisions.getLast().at();
  }

  RolloutState with(RolloutPhase newPhase, int newWave, RolloutPhase newPausedFrom, boolean newBreach,
      List<WaveState> newWaves, Decision decision, Instant now) {
    var all = new ArrayList<>(decisions);
    if (decision != null) {
      all.add(decision);
    }
    return new RolloutState(rollout, tenant, artifact, version, newPhase, newWave, newPausedFrom, newBreach, now,
        newWaves, all);
  }

  RolloutState withWaves(List<WaveState> newWaves, Instant now) {
    return new RolloutState(rollout, tenant, artifact, version, phase, wave, pausedFrom, breach, now, newWaves,
        decisions);
  }
}
