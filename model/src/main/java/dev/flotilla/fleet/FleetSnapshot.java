package dev.flotilla.fleet;

import dev.flotilla.model.Artifact;
import dev.flotilla.model.ClaimToken;
import dev.flotilla.model.Device;
import dev.flotilla.model.Fleet;
import dev.flotilla.model.Operator;
import dev.flotilla.model.Policy;
import dev.flotilla.model.Rollout;
import dev.flotilla.model.Secret;
import dev.flotilla.model.Tenant;
import dev.flotilla.model.TrustRoot;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every resource of a fleet repo at one revision that passed its schema, each list sorted by path. Files that
 * failed to read or validate are absent and listed in {@code rejected}; their problems are in the
 * {@link FleetLoader.Result}.
 */
public record FleetSnapshot(
    Optional<Document<Fleet>> fleet,
    Optional<Document<TrustRoot>> trustRoot,
    List<Document<Tenant>> tenants,
    List<Document<Device>> devices,
    List<Document<Policy>> policies,
    List<Document<Rollout>> rollouts,
    List<Document<ClaimToken>> claimTokens,
    List<Document<Artifact>> artifacts,
    List<Document<Secret>> secrets,
    Set<String> rejected,
    List<Document<Operator>> operators) {

  public FleetSnapshot {
    tenants = List.copyOf(tenants);
    devices = List.copyOf(devices);
    policies = List.copyOf(policies);
    rollouts = List.copyOf(rollouts);
    claimTokens = List.copyOf(claimTokens);
    artifacts = List.copyOf(artifacts);
    secrets = List.copyOf(secrets);
    rejected = Set.copyOf(rejected);
    operators = List.copyOf(operators);
  }

  /** A snapshot without secrets or operators. */
  public FleetSnapshot(Optional<Document<Fleet>> fleet, Optional<Document<TrustRoot>> trustRoot,
      List<Document<Tenant>> tenants, List<Document<Device>> devices, List<Document<Policy>> policies,
      List<Document<Rollout>> rollouts, List<Document<ClaimToken>> claimTokens, List<Document<Artifact>> artifacts,
      Set<String> rejected) {
    this(fleet, trustRoot, tenants, devices, policies, rollouts, claimTokens, artifacts, List.of(), rejected,
        List.of());
  }

  /** Whether {@code path} exists but was left out because it has problems. */
  public boolean rejected(String path) {
    return rejected.contains(path);
  }

  /** How many resources the snapshot holds. */
  public int size() {
    return (int) (fleet.stream().count() + trustRoot.stream().count()) + tenants.size() + devices.size() + policies.size() + rollouts.size() + claimTokens.size() + artifacts.size()
        + secrets.size() + operators.size();
  }
}
