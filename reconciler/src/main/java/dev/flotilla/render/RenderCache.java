package dev.flotilla.render;

import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.Device;
import dev.flotilla.model.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders every device of a pass, reusing the last pass's render of a device whose inputs are the very same
 * documents and rollout versions as then. The output is exactly what {@link DeviceRenderer#render} gives; a
 * reused render comes without its canonical bytes ({@link RenderedDevice#withoutBytes}).
 *
 * <p>Why that is exact: a render reads nothing but the device's document, the documents of the policies that select
 * it (in order), the fleet, the trust root, the artifacts, the secrets, and the rollout version of each app's artifact. Documents
 * are immutable, and the loader hands out the same document object for a file whose Git blob did not change, so
 * comparing documents by identity compares their content (a new object with equal content only costs a render). The
 * rollout versions asked for are those of the artifacts the render's apps name, which depend only on the device and
 * its policies. Only the devices of the latest pass are kept. Not thread-safe: one pass at a time.
 */
public final class RenderCache {
  /** What a render read besides the fleet-wide documents. */
  private record Inputs(Document<Device> device, List<Document<Policy>> policies, Map<String, String> versions) {}

  private record Entry(Inputs inputs, RenderedDevice rendered) {}

  private List<Object> fleetWide = List.of();
  private Map<Document<Device>, Entry> entries = Map.of();

  /**
   * The one render path of a pass: every claimed device (one with an identity) of {@code index}, in order, with the
   * versions {@code rollouts} give it. The reconciler renders through its cache; {@code flotilla plan} through a
   * fresh one.
   */
  public List<RenderedDevice> render(FleetIndex index, RolloutVersions rollouts) {
    var claimed = index.snapshot().devices().stream()
        .filter(d -> d.resource().getSpec().getIdentity() != null).toList();
    return render(new DeviceRenderer(index, rollouts), claimed);
  }

  /** Renders {@code devices} (each with an identity) in order and in parallel; only those whose inputs changed. */
  public List<RenderedDevice> render(DeviceRenderer renderer, List<Document<Device>> devices) {
    var rollouts = renderer.rollouts();
    var wide = fleetWide(renderer.index().snapshot());
    var previous = wide.equals(fleetWide) ? entries : Map.<Document<Device>, Entry>of();
    var next = new ConcurrentHashMap<Document<Device>, Entry>();
    var rendered = devices.parallelStream().map(device -> {
      var policies = renderer.selecting(device);
      var hit = previous.get(device);
      if (hit != null && hit.inputs().policies().equals(policies) && sameVersions(hit.inputs(), rollouts)) {
        next.put(device, hit);
        return hit.rendered();
      }
      var fresh = renderer.render(device);
      // the cache keeps no bytes: a pass holds ~9 KB per fresh render only until it is signed
      var inputs = new Inputs(device, policies, versions(device, fresh, rollouts));
      next.put(device, new Entry(inputs, fresh.withoutBytes()));
      return fresh;
    }).toList();
    fleetWide = wide;
    entries = next;
    return rendered;
  }

  /** The documents every render reads, compared by identity. */
  private static List<Object> fleetWide(FleetSnapshot snapshot) {
    var wide = new ArrayList<Object>();
    wide.add(snapshot.fleet().orElse(null));
    wide.add(snapshot.trustRoot().orElse(null));
    wide.addAll(snapshot.artifacts());
    wide.addAll(snapshot.secrets());
    return wide;
  }

  /** The rollout version of every artifact the render's apps name, as the render asked for it. */
  private static Map<String, String> versions(Document<Device> device, RenderedDevice rendered,
      RolloutVersions rollouts) {
    var name = device.resource().getMetadata().getName();
    var versions = new TreeMap<String, String>();
    for (AppSpec app : rendered.payload().getState().getApps()) {
      versions.put(app.getArtifact(), rollouts.version(name, app.getArtifact()));
    }
    return versions;
  }

  private static boolean sameVersions(Inputs inputs, RolloutVersions rollouts) {
    var name = inputs.device().resource().getMetadata().getName();
    for (var entry : inputs.versions().entrySet()) {
      if (!Objects.equals(entry.getValue(), rollouts.version(name, entry.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
