package dev.flotilla.render;

import dev.flotilla.fleet.Document;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.Policy;
import dev.flotilla.model.ServiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the desired state of the policies that select a device, per {@link ResourceKey}: the highest priority
 * wins; equal priorities that disagree are a {@link Conflict}, resolved by policy path so rendering stays
 * deterministic, and reported so validation can refuse the fleet. Pure.
 */
public final class PolicyMerger {
  /** Highest priority first; equal priorities by policy path, so rendering stays deterministic. */
  private static final Comparator<Contribution> PRECEDENCE = Comparator.comparingLong(Contribution::priority)
      .reversed().thenComparing(c -> c.policy().path());

  private PolicyMerger() {}

  /** One policy's value for one key, and the field path of that value in the policy's file. */
  public record Contribution(Document<Policy> policy, Object value, List<Object> fieldPath) {
    public long priority() {
      var priority = policy.resource().getSpec().getPriority();
      return priority == null ? 0 : priority;
    }
  }

  /** Two policies of equal priority that set {@code key} to different values on the same device. */
  public record Conflict(ResourceKey key, Contribution first, Contribution second) {}

  /**
   * The merged state, the conflicts between equal priorities, and for each key the policy that set it (absent when
   * the device's own state did).
   */
  public record Merged(DesiredState state, List<Conflict> conflicts, Map<ResourceKey, Document<Policy>> sources) {}

  /** Every key a policy sets, in the order its file declares them. */
  public static Map<ResourceKey, Contribution> contributions(Document<Policy> policy) {
    var out = new LinkedHashMap<ResourceKey, Contribution>();
    var state = policy.resource().getSpec().getState();
    addAll(out, policy, state);
    return out;
  }

  static void addAll(Map<ResourceKey, Contribution> out, Document<Policy> policy, DesiredState state) {
    if (state == null) {
      return;
    }
    var files = state.getFiles();
    for (int i = 0; i < files.size(); i++) {
      out.putIfAbsent(new ResourceKey(ResourceKey.Type.FILE, files.get(i).getPath()),
          new Contribution(policy, files.get(i), List.of("spec", "state", "files", i)));
    }
    var services = state.getServices();
    for (int i = 0; i < services.size(); i++) {
      out.putIfAbsent(new ResourceKey(ResourceKey.Type.UNIT, services.get(i).getUnit()),
          new Contribution(policy, services.get(i), List.of("spec", "state", "services", i)));
    }
    if (state.getSysctl() != null) {
      for (var entry : state.getSysctl().entrySet()) {
        out.putIfAbsent(new ResourceKey(ResourceKey.Type.SYSCTL, entry.getKey()),
            new Contribution(policy, entry.getValue(), List.of("spec", "state", "sysctl", entry.getKey())));
      }
    }
    var apps = state.getApps();
    for (int i = 0; i < apps.size(); i++) {
      out.putIfAbsent(new ResourceKey(ResourceKey.Type.APP, apps.get(i).getName()),
          new Contribution(policy, apps.get(i), List.of("spec", "state", "apps", i)));
    }
  }

  /**
   * Merges {@code selecting} (the policies that select one device, each map one policy's {@link #contributions})
   * and then the device's own state, which wins over every policy.
   */
  public static Merged merge(List<Map<ResourceKey, Contribution>> selecting, DesiredState deviceState) {
    // ordering the policies orders their contributions; each policy's keep the order its file declares them
    var ordered = new ArrayList<Map<ResourceKey, Contribution>>();
    selecting.stream().filter(contributions -> !contributions.isEmpty()).forEach(ordered::add);
    ordered.sort(Comparator.comparing(contributions -> contributions.values().iterator().next(), PRECEDENCE));
    var winners = new TreeMap<ResourceKey, Contribution>();
    var conflicts = new ArrayList<Conflict>();
    for (var contributions : ordered) {
      for (var entry : contributions.entrySet()) {
        var key = entry.getKey();
        var contribution = entry.getValue();
        var winner = winners.putIfAbsent(key, contribution);
        if (winner != null && winner.priority() == contribution.priority()
            && !winner.value().equals(contribution.value())) {
          conflicts.add(new Conflict(key, winner, contribution));
        }
      }
    }
    var values = new TreeMap<ResourceKey, Object>();
    var sources = new TreeMap<ResourceKey, Document<Policy>>();
    winners.forEach((key, contribution) -> {
      values.put(key, contribution.value());
      sources.put(key, contribution.policy());
    });
    if (deviceState != null) {
      var own = new LinkedHashMap<ResourceKey, Contribution>();
      addAll(own, null, deviceState);
      own.forEach((key, contribution) -> {
        values.put(key, contribution.value());
        sources.remove(key);
      });
    }
    return new Merged(toState(values), conflicts, sources);
  }

  private static DesiredState toState(TreeMap<ResourceKey, Object> values) {
    var state = new DesiredState();
    var sysctl = new TreeMap<String, String>();
    values.forEach((key, value) -> {
      switch (key.type()) {
        case FILE -> state.getFiles().add((FileSpec) value);
        case UNIT -> state.getServices().add((ServiceSpec) value);
        case SYSCTL -> sysctl.put(key.name(), (String) value);
        case APP -> state.getApps().add((AppSpec) value);
      }
    });
    state.setSysctl(sysctl);
    return state;
  }
}
