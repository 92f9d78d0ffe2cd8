package dev.flotilla.rollout;

import dev.flotilla.status.StatusBoard;
import dev.flotilla.fleet.Document;
import dev.flotilla.model.Device;
import dev.flotilla.model.Policy;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.window.MaintenanceWindows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass knows about devices, for rollouts: which apps of an artifact a device runs (from the policies that
 * select it and its own state), its maintenance windows, and its latest report. Computed lazily and cached for the
 * pass; not thread-safe.
 */
final class RolloutFacts {
  private final FleetIndex index;
  private final DeviceRenderer renderer;
  private final Map<String, StatusBoard.Entry> reports;
  private final Map<String, Document<Device>> devices = new HashMap<>();
  private final Map<String, List<Document<Policy>>> policies = new HashMap<>();

  RolloutFacts(FleetIndex index, DeviceRenderer renderer, Map<String, StatusBoard.Entry> reports) {
    this.index = index;
    this.renderer = renderer;
    this.reports = reports;
    index.snapshot().devices().forEach(d -> devices.put(d.resource().getMetadata().getName(), d));
  }

  List<Device> devicesOf(String tenant) {
    return index.devicesOf(tenant).stream().map(Document::resource).toList();
  }

  boolean runs(Device device, String artifact) {
    return !apps(device.getMetadata().getName(), artifact).isEmpty();
  }

  /** The names of the apps {@code device} runs from {@code artifact}. */
  Set<String> apps(String device, String artifact) {
    var out = new HashSet<String>();
    var doc = devices.get(device);
    if (doc == null) {
      return out;
    }
    for (var policy : policies(doc)) {
      policy.resource().getSpec().getState().getApps().stream()
          .filter(a -> artifact.equals(a.getArtifact())).forEach(a -> out.add(a.getName()));
    }
    var own = doc.resource().getSpec().getState();
    if (own != null) {
      own.getApps().stream().filter(a -> artifact.equals(a.getArtifact())).forEach(a -> out.add(a.getName()));
    }
    return out;
  }

  /** The observations and closed windows of the plan's devices at {@code now}. */
  RolloutEngine.Observed observed(RolloutPlan plan, Instant now) {
    var observations = new HashMap<String, Observation>();
    var closed = new HashSet<String>();
    for (var wave : plan.waves()) {
      for (var device : wave.devices()) {
        var observation = observation(device, plan.artifact());
        if (observation != null) {
          observations.put(device, observation);
        }
        var doc = devices.get(device);
        if (doc != null && !new MaintenanceWindows(renderer.windows(doc, policies(doc))).open(now)) {
          closed.add(device);
        }
      }
    }
    return new RolloutEngine.Observed(observations, closed);
  }

  private Observation observation(String device, String artifact) {
    var entry = reports.get(device);
    if (entry == null || entry.report().getApps() == null) {
      return null;
    }
    var names = apps(device, artifact);
    for (var app : entry.report().getApps()) {
      if (names.contains(app.getName())) {
        var health = switch (app.getHealth()) {
          case "Healthy" -> Observation.Health.HEALTHY;
          case "Failed" -> Observation.Health.FAILED;
          default -> Observation.Health.PROGRESSING;
        };
        return new Observation(app.getVersion(), health, entry.receivedAt());
      }
    }
    return null;
  }

  private List<Document<Policy>> policies(Document<Device> device) {
    return policies.computeIfAbsent(device.resource().getMetadata().getName(), d -> renderer.selecting(device));
  }
}
