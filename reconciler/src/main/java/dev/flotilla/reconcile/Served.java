package dev.flotilla.reconcile;

import dev.flotilla.git.Revision;
import dev.flotilla.model.TrustRoot;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * What the API serves, from the last good commit: the devices allowed to call it with their keys and tenants, the
 * trust root and its history (oldest first) for devices that are behind, and the artifact and SBOM digests (hex)
 * that its artifact files list. Immutable; replaced whole.
 */
public record Served(Revision revision, Map<String, DeviceKey> devices, TrustRoot root, List<byte[]> rootChain,
    Map<String, ArtifactGrant> artifacts) {

  /** A device that may fetch bundles and report status. */
  public record DeviceKey(String tenant, PublicKey key) {}

  /**
   * Who may download a digest: every device when {@code tenants} is null (a fleet-wide artifact lists it), else
   * only those tenants' devices; {@code size} is the signed size, or -1 for an SBOM.
   */
  public record ArtifactGrant(java.util.Set<String> tenants, long size) {
    public boolean allows(String tenant) {
      return tenants == null || tenants.contains(tenant);
    }

    /** Two artifacts that list the same digest: whoever may download either may download it. */
    public ArtifactGrant or(ArtifactGrant other) {
      if (tenants == null || other.tenants == null) {
        return new ArtifactGrant(null, Math.max(size, other.size));
      }
      var both = new java.util.TreeSet<>(tenants);
      both.addAll(other.tenants);
      return new ArtifactGrant(java.util.Set.copyOf(both), Math.max(size, other.size));
    }
  }
}
