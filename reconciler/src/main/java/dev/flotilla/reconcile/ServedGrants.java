package dev.flotilla.reconcile;

import dev.flotilla.digest.Digest;
import dev.flotilla.fleet.Document;
import dev.flotilla.model.Artifact;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Who may download which artifact digest, as {@link Served#artifacts()} says it. Pure. */
final class ServedGrants {
  private ServedGrants() {}

  /**
   * The digests of every artifact and SBOM of {@code artifacts} and who may download each; plus, for each held-back
   * tenant, what {@code previous} let it download: its devices keep bundles that may name artifacts the new commit
   * no longer lists.
   */
  static Map<String, Served.ArtifactGrant> of(java.util.List<Document<Artifact>> artifacts, Served previous,
      Set<String> heldBack) {
    var grants = new TreeMap<String, Served.ArtifactGrant>();
    for (var artifact : artifacts) {
      var spec = artifact.resource().getSpec();
      var tenant = artifact.resource().getMetadata().getTenant();
      var tenants = tenant == null ? null : Set.of(tenant);
      grants.merge(Digest.parse(spec.getDigest()).hex(), new Served.ArtifactGrant(tenants, spec.getSize()),
          Served.ArtifactGrant::or);
      if (spec.getSbom() != null) {
        grants.merge(Digest.parse(spec.getSbom().getDigest()).hex(), new Served.ArtifactGrant(tenants, -1),
            Served.ArtifactGrant::or);
      }
    }
    if (previous != null && !heldBack.isEmpty()) {
      previous.artifacts().forEach((digest, grant) -> {
        var kept = new TreeSet<>(grant.tenants() == null ? heldBack : grant.tenants());
        kept.retainAll(heldBack);
        if (!kept.isEmpty()) {
          grants.merge(digest, new Served.ArtifactGrant(Set.copyOf(kept), grant.size()), Served.ArtifactGrant::or);
        }
      });
    }
    return grants;
  }
}
