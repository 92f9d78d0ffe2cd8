package dev.flotilla.render;

import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.model.Artifact;
import dev.flotilla.model.Device;
import dev.flotilla.model.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lookups over a {@link FleetSnapshot}: tenants by name, devices by tenant, artifacts by name and version. */
public record FleetIndex(
    FleetSnapshot snapshot,
    Map<String, Document<Tenant>> tenants,
    Map<String, List<Document<Device>>> devicesByTenant,
    Map<String, Document<Artifact>> artifacts) {

  public static FleetIndex of(FleetSnapshot snapshot) {
    var tenants = new HashMap<String, Document<Tenant>>();
    snapshot.tenants().forEach(t -> tenants.put(t.resource().getMetadata().getName(), t));
    var devices = new HashMap<String, List<Document<Device>>>();
    snapshot.devices().forEach(d -> devices.computeIfAbsent(d.resource().getMetadata().getTenant(),
        t -> new ArrayList<>()).add(d));
    var artifacts = new HashMap<String, Document<Artifact>>();
    snapshot.artifacts().forEach(a -> artifacts.put(artifactKey(a.resource().getMetadata().getName(),
        a.resource().getSpec().getVersion()), a));
    return new FleetIndex(snapshot, Map.copyOf(tenants), Map.copyOf(devices), Map.copyOf(artifacts));
  }

  public List<Document<Device>> devicesOf(String tenant) {
    return devicesByTenant.getOrDefault(tenant, List.of());
  }

  public Document<Artifact> artifact(String name, String version) {
    return artifacts.get(artifactKey(name, version));
  }

  private static String artifactKey(String name, String version) {
    return name + "@" + version;
  }
}
