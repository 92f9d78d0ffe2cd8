package dev.flotilla.rollout;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.BreachAction;
import dev.flotilla.model.Channel;
import dev.flotilla.model.Device;
import dev.flotilla.model.Rollout;
import dev.flotilla.render.Selectors;
import dev.flotilla.rollout.RolloutPlan.PlannedWave;
import dev.flotilla.schema.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides which devices each wave of a rollout takes. Pure and deterministic: the eligible devices (of the
 * rollout's tenant, claimed, not cordoned, selected, running an app from the artifact) are ordered by channel
 * (dev, canary, prod) and then by sha256 of "tenant/rollout/device", so the same repo always gives the same waves,
 * and a device keeps its place when others come and go. A wave that has started keeps the devices it started with.
 * A wave takes {@code count} devices, or {@code percent} of all eligible devices (rounded up), or, when it sets
 * neither, all the rest.
 */
public final class WavePlanner {
  private WavePlanner() {}

  /**
   * The plan of {@code rollout} over {@code devices} (the tenant's devices; others are ignored). {@code started}
   * is the rollout's state, whose started waves keep their devices; null or another version for none.
   */
  public static RolloutPlan plan(Rollout rollout, List<Device> devices, Predicate<Device> runsArtifact,
      RolloutState started) {
    var spec = rollout.getSpec();
    var name = rollout.getMetadata().getName();
    var tenant = rollout.getMetadata().getTenant();
    var eligible = devices.stream()
        .filter(d -> tenant.equals(d.getMetadata().getTenant()))
        .filter(d -> d.getSpec().getIdentity() != null && !Boolean.TRUE.equals(d.getSpec().getCordoned()))
        .filter(d -> Selectors.matches(spec.getSelector(), d) && runsArtifact.test(d))
        .sorted(order(tenant, name))
        .map(d -> d.getMetadata().getName())
        .toList();
    var fixed = started != null && spec.getArtifact().getVersion().equals(started.version())
        ? started.waves() : List.<RolloutState.WaveState>of();
    var waves = assign(spec.getWaves(), eligible, fixed);
    return new RolloutPlan(name, tenant, spec.getArtifact().getName(), spec.getArtifact().getVersion(), waves,
        spec.getMaxFailureRatio() == null ? RolloutPlan.DEFAULT_MAX_FAILURE_RATIO : spec.getMaxFailureRatio(),
        spec.getHealthTimeout() == null ? RolloutPlan.DEFAULT_HEALTH_TIMEOUT : Durations.parse(spec.getHealthTimeout()),
        !Boolean.FALSE.equals(spec.getFailOnNoReport()),
        spec.getOnBreach() == null ? BreachAction.ROLLBACK : spec.getOnBreach(),
        Boolean.TRUE.equals(spec.getPaused()), Boolean.TRUE.equals(spec.getAborted()), spec.getContinueAfterBreach());
  }

  private static List<PlannedWave> assign(List<dev.flotilla.model.Wave> specs, List<String> eligible,
      List<RolloutState.WaveState> fixed) {
    var taken = new HashSet<String>();
    fixed.forEach(w -> w.devices().forEach(m -> taken.add(m.device())));
    var all = new LinkedHashSet<>(eligible);
    all.addAll(taken);
    var rest = new ArrayList<>(eligible.stream().filter(d -> !taken.contains(d)).toList());
    var out = new ArrayList<PlannedWave>();
    for (int i = 0; i < specs.size(); i++) {
      var spec = specs.get(i);
      var bake = spec.getBakeTime() == null ? Duration.ZERO : Durations.parse(spec.getBakeTime());
      List<String> members;
      if (i < fixed.size()) {
        members = fixed.get(i).devices().stream().map(RolloutState.Member::device).toList();
      } else {
        int size = spec.getCount() != null ? spec.getCount().intValue()
            : spec.getPercent() != null ? (int) ((all.size() * spec.getPercent() + 99) / 100) : rest.size();
        members = List.copyOf(rest.subList(0, Math.min(size, rest.size())));
        rest.subList(0, members.size()).clear();
      }
      out.add(new PlannedWave(spec.getName(), bake, members));
    }
    return out;
  }

  private static Comparator<Device> order(String tenant, String rollout) {
    var hashes = new HashMap<String, String>();
    return Comparator.<Device>comparingInt(d -> rank(d.getSpec().getChannel()))
        .thenComparing(d -> hashes.computeIfAbsent(d.getMetadata().getName(),
            n -> sha256(tenant + "/" + rollout + "/" + n)));
  }

  private static int rank(Channel channel) {
    return switch (channel) {
      case DEV -> 0;
      case CANARY -> 1;
      case PROD -> 2;
    };
  }

  static String sha256(String text) {
    return Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).hex();
  }

  /** The wave each device of {@code plan} is in, by device name. */
  public static Map<String, String> waveOf(RolloutPlan plan) {
    var out = new HashMap<String, String>();
    plan.waves().forEach(w -> w.devices().forEach(d -> out.put(d, w.name())));
    return out;
  }
}
