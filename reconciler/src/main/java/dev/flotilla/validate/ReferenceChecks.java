package dev.flotilla.validate;

import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Location;
import dev.flotilla.schema.Problem;
import dev.flotilla.model.ArtifactRef;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.Device;

import dev.flotilla.render.FleetIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * Checks that references resolve and stay inside their tenant, and that what must be unique across the fleet is:
 * device names, identity hashes, claim token hashes ({@link DeviceKeyChecks} does public keys). Pure.
 */
final class ReferenceChecks {
  private ReferenceChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var snapshot = index.snapshot();
    snapshot.fleet().ifPresentOrElse(fleet -> {
      var rootPath = fleet.resource().getSpec().getTrustRoot();
      if (snapshot.trustRoot().isEmpty() && snapshot.rejected(rootPath)) {
        return;
      }
      if (snapshot.trustRoot().isEmpty()) {
        out.add(Problem.error(fleet.path(), fleet.locate("spec", "trustRoot"), "spec.trustRoot",
            "trust root '" + rootPath + "' is missing", "run 'flotilla keys init' to create it"));
      } else if (!rootPath.equals(snapshot.trustRoot().get().path())) {
        out.add(Problem.error(fleet.path(), fleet.locate("spec", "trustRoot"), "spec.trustRoot",
            "trust root must live at '" + snapshot.trustRoot().get().path() + "', not '" + rootPath + "'",
            "set spec.trustRoot to '" + snapshot.trustRoot().get().path() + "'"));
      }
      snapshot.trustRoot().ifPresent(root -> {
        var fleetName = fleet.resource().getMetadata().getName();
        if (!fleetName.equals(root.resource().getSigned().getFleet())) {
          out.add(Problem.error(root.path(), root.locate("signed", "fleet"), "signed.fleet",
              "trust root is for fleet '" + root.resource().getSigned().getFleet() + "', not '" + fleetName + "'",
              "this repo's fleet is named in fleet.yaml; create a root for it with 'flotilla keys init'"));
        }
      });
    }, () -> {
      if (!snapshot.rejected("fleet.yaml")) {
        out.add(Problem.error("fleet.yaml", Location.UNKNOWN, "", "fleet.yaml is missing",
            "every fleet repo has a fleet.yaml at its root; copy it from fleet-repo-template"));
      }
    });

    checkTenantsExist(index, out);
    unique(snapshot.devices(), d -> d.resource().getMetadata().getName(), new Object[] {"metadata", "name"},
        "device name '%s' is also used by %s", "device names are unique across the fleet; rename one", out);
    unique(withIdentity(snapshot.devices()), d -> d.resource().getSpec().getIdentity().getHash(),
        new Object[] {"spec", "identity", "hash"}, "identity '%s' is also claimed by %s",
        "each machine enrols once; a cloned image keeps its machine-id: give the clone a new one "
            + "('systemd-machine-id-setup') and claim it again", out);
    unique(snapshot.claimTokens(), t -> t.resource().getSpec().getTokenHash(), new Object[] {"spec", "tokenHash"},
        "token hash '%s' is also used by %s", "create each token with 'flotilla token create'", out);

    for (var policy : snapshot.policies()) {
      checkState(index, policy, policy.resource().getSpec().getState(), List.of("spec", "state"), out);
      checkSelectedDevices(index, policy, policy.resource().getSpec().getSelector().getDevices(), out);
    }
    for (var device : snapshot.devices()) {
      checkState(index, device, device.resource().getSpec().getState(), List.of("spec", "state"), out);
      var pins = device.resource().getSpec().getPins();
      for (int i = 0; i < pins.size(); i++) {
        checkArtifact(index, device, pins.get(i).getArtifact(), pins.get(i).getVersion(),
            List.of("spec", "pins", i), out);
      }
    }
    for (var rollout : snapshot.rollouts()) {
      var ref = rollout.resource().getSpec().getArtifact();
      checkArtifact(index, rollout, ref.getName(), ref.getVersion(), List.of("spec", "artifact"), out);
      checkSelectedDevices(index, rollout, rollout.resource().getSpec().getSelector().getDevices(), out);
    }
  }

  private static void checkTenantsExist(FleetIndex index, List<Problem> out) {
    var snapshot = index.snapshot();
    var scoped = new ArrayList<Document<?>>();
    scoped.addAll(snapshot.devices());
    scoped.addAll(snapshot.policies());
    scoped.addAll(snapshot.rollouts());
    scoped.addAll(snapshot.claimTokens());
    var reported = new java.util.HashSet<String>();
    for (var document : scoped) {
      var tenant = document.tenant();
      if (!index.tenants().containsKey(tenant) && !snapshot.rejected("tenants/" + tenant + "/tenant.yaml")
          && reported.add(document.path())) {
        out.add(Problem.error(document.path(), document.locate("metadata", "tenant"), "metadata.tenant",
            "tenant '" + tenant + "' does not exist", "create tenants/" + tenant + "/tenant.yaml"));
      }
    }
    for (var artifact : snapshot.artifacts()) {
      var tenant = artifact.resource().getMetadata().getTenant();
      if (tenant != null && !index.tenants().containsKey(tenant)) {
        out.add(Problem.error(artifact.path(), artifact.locate("metadata", "tenant"), "metadata.tenant",
            "tenant '" + tenant + "' does not exist", "remove metadata.tenant to share the artifact fleet-wide"));
      }
    }
  }

  private static void checkState(FleetIndex index, Document<?> owner, DesiredState state, List<Object> at,
      List<Problem> out) {
    if (state == null) {
      return;
    }
    duplicates(owner, state.getFiles(), f -> f.getPath(), at, "files", "path", out);
    duplicates(owner, state.getServices(), s -> s.getUnit(), at, "services", "unit", out);
    duplicates(owner, state.getApps(), a -> a.getName(), at, "apps", "name", out);
    for (int i = 0; i < state.getFiles().size(); i++) {
      ArtifactRef ref = state.getFiles().get(i).getArtifact();
      if (ref != null) {
        checkArtifact(index, owner, ref.getName(), ref.getVersion(), path(at, "files", i, "artifact"), out);
      }
    }
    for (int i = 0; i < state.getApps().size(); i++) {
      var app = state.getApps().get(i);
      checkArtifact(index, owner, app.getArtifact(), app.getVersion(), path(at, "apps", i), out);
    }
  }

  private static <T> void duplicates(Document<?> owner, List<T> items, Function<T, String> key, List<Object> at,
      String list, String field, List<Problem> out) {
    var seen = new HashMap<String, Integer>();
    for (int i = 0; i < items.size(); i++) {
      var previous = seen.putIfAbsent(key.apply(items.get(i)), i);
      if (previous != null) {
        var fieldPath = path(at, list, i, field);
        out.add(Problem.error(owner.path(), owner.locate(fieldPath.toArray()), Where.field(fieldPath.toArray()),
            "'" + key.apply(items.get(i)) + "' is declared twice in " + list + " (first at line "
                + owner.locate(path(at, list, previous).toArray()).line() + ")", "merge the two entries"));
      }
    }
  }

  private static void checkArtifact(FleetIndex index, Document<?> owner, String name, String version,
      List<Object> at, List<Problem> out) {
    var artifact = index.artifact(name, version);
    var fieldPath = at.toArray();
    if (artifact == null) {
      out.add(Problem.error(owner.path(), owner.locate(fieldPath), Where.field(fieldPath),
          "artifact '" + name + "' version '" + version + "' does not exist",
          "add artifacts/" + name + "/" + version + ".yaml with 'flotilla artifact add'"));
      return;
    }
    var artifactTenant = artifact.resource().getMetadata().getTenant();
    var ownerTenant = owner.tenant();
    if (artifactTenant != null && !artifactTenant.equals(ownerTenant)) {
      out.add(Problem.error(owner.path(), owner.locate(fieldPath), Where.field(fieldPath),
          "artifact '" + name + "' version '" + version + "' belongs to tenant '" + artifactTenant
              + "', not '" + ownerTenant + "'", "tenants may not use each other's artifacts"));
    }
  }

  private static void checkSelectedDevices(FleetIndex index, Document<?> owner, Collection<String> selected,
      List<Problem> out) {
    var names = List.copyOf(selected);
    var tenant = owner.tenant();
    for (int i = 0; i < names.size(); i++) {
      var name = names.get(i);
      var fieldPath = new Object[] {"spec", "selector", "devices", i};
      if (index.devicesOf(tenant).stream().anyMatch(d -> d.resource().getMetadata().getName().equals(name))) {
        continue;
      }
      var elsewhere = index.snapshot().devices().stream()
          .filter(d -> d.resource().getMetadata().getName().equals(name)).findFirst();
      out.add(elsewhere.isPresent()
          ? Problem.error(owner.path(), owner.locate(fieldPath), Where.field(fieldPath), "device '" + name
              + "' belongs to tenant '" + elsewhere.get().resource().getMetadata().getTenant() + "', not '" + tenant
              + "'", "a tenant's policies and rollouts select only its own devices")
          : Problem.warning(owner.path(), owner.locate(fieldPath), Where.field(fieldPath),
              "device '" + name + "' does not exist in tenant '" + tenant + "'", "remove it or fix its spelling"));
    }
  }

  private static List<Document<Device>> withIdentity(List<Document<Device>> devices) {
    return devices.stream().filter(d -> d.resource().getSpec().getIdentity() != null).toList();
  }

  static <T> void unique(List<Document<T>> documents, Function<Document<T>, String> key, Object[] field,
      String message, String hint, List<Problem> out) {
    var first = new HashMap<String, Document<T>>();
    for (var document : documents) {
      var value = key.apply(document);
      var previous = first.putIfAbsent(value, document);
      if (previous != null) {
        out.add(Problem.error(document.path(), document.locate(field), Where.field(field),
            String.format(message, value, "'" + previous.path() + "' (line " + previous.locate(field).line() + ")"),
            hint).involving(previous.path()));
      }
    }
  }

  private static List<Object> path(List<Object> at, Object... more) {
    var out = new ArrayList<>(at);
    out.addAll(List.of(more));
    return out;
  }
}
