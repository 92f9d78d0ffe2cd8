package dev.flotilla.validate;

import dev.flotilla.artifact.ArtifactVerifier;
import dev.flotilla.fleet.Document;
import dev.flotilla.schema.Problem;
import dev.flotilla.model.DesiredState;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks every artifact's signature against the commit's own trust root ({@code ArtifactVerifier}). One that a
 * policy, device, pin or rollout uses and that does not verify (unsigned, unknown key, not an artifact-signer,
 * changed after signing) is an error on the artifact file, naming a user; one nothing uses yet is a warning. The
 * trust root must carry the threshold of valid signatures of the root keys it lists, as agents and the reconciler
 * require; whether it follows the previous version (N to N+1) needs the history, so that is the reconciler's check.
 * Pure.
 */
final class SignatureChecks {
  private SignatureChecks() {}

  static void check(FleetIndex index, List<Problem> out) {
    var snapshot = index.snapshot();
    if (snapshot.trustRoot().isEmpty()) {
      return; // reported as a missing trust root
    }
    var root = snapshot.trustRoot().get();
    try {
      RootVerifier.requireSelfSigned(root.resource());
    } catch (TrustException e) {
      out.add(Problem.error(root.path(), root.locate("signatures"), "signatures", e.getMessage(),
          "sign it with the root keys it lists ('flotilla keys rotate'), or restore the file from Git"));
    }
    var verifier = new ArtifactVerifier(root.resource());
    var users = users(index);
    for (var artifact : snapshot.artifacts()) {
      try {
        verifier.verify(artifact.resource());
      } catch (TrustException e) {
        var spec = artifact.resource().getSpec();
        var field = spec.getSignature() == null ? new Object[] {"spec"} : new Object[] {"spec", "signature", "value"};
        var use = users.get(artifact.resource().getMetadata().getName() + "@" + spec.getVersion());
        var user = use == null ? null : Where.of(use.owner(), use.field());
        var hint = "sign it with the fleet's artifact-signer key: 'flotilla artifact add', or 'flotilla artifact sign'";
        out.add(user == null
            ? Problem.warning(artifact.path(), artifact.locate(field), Where.field(field),
                e.getMessage() + " (nothing uses it yet)", hint)
            : Problem.error(artifact.path(), artifact.locate(field), Where.field(field),
                e.getMessage() + " (used by " + user + ")", hint).involving(use.owner().path()));
      }
    }
  }

  /** Where an artifact version is used; located only when a problem is reported, which re-reads the file. */
  private record Use(Document<?> owner, Object... field) {}

  /** The first place that uses each artifact version, by 'name@version'. */
  private static Map<String, Use> users(FleetIndex index) {
    var users = new TreeMap<String, Use>();
    var snapshot = index.snapshot();
    snapshot.policies().forEach(p -> state(p, p.resource().getSpec().getState(), users));
    for (var device : snapshot.devices()) {
      state(device, device.resource().getSpec().getState(), users);
      var pins = device.resource().getSpec().getPins();
      for (int i = 0; i < pins.size(); i++) {
        users.putIfAbsent(pins.get(i).getArtifact() + "@" + pins.get(i).getVersion(),
            new Use(device, "spec", "pins", i));
      }
    }
    for (var rollout : snapshot.rollouts()) {
      var ref = rollout.resource().getSpec().getArtifact();
      users.putIfAbsent(ref.getName() + "@" + ref.getVersion(), new Use(rollout, "spec", "artifact"));
    }
    return users;
  }

  private static void state(Document<?> owner, DesiredState state, Map<String, Use> users) {
    if (state == null) {
      return;
    }
    for (int i = 0; i < state.getApps().size(); i++) {
      var app = state.getApps().get(i);
      users.putIfAbsent(app.getArtifact() + "@" + app.getVersion(), new Use(owner, "spec", "state", "apps", i));
    }
    for (int i = 0; i < state.getFiles().size(); i++) {
      var ref = state.getFiles().get(i).getArtifact();
      if (ref != null) {
        users.putIfAbsent(ref.getName() + "@" + ref.getVersion(), new Use(owner, "spec", "state", "files", i));
      }
    }
  }
}
