package dev.flotilla.reconcile;

import dev.flotilla.git.Revision;
import dev.flotilla.model.TrustRoot;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * What the API serves, from the last good commit: the devices allowed to call it with their keys and tenants, the
 * trust root and its history (oldest first) for devices that are behind. Immutable; replaced whole.
 */
public record Served(Revision revision, Map<String, DeviceKey> devices, TrustRoot root, List<byte[]> rootChain) {

  /** A device that may fetch bundles and report status. */
  public record DeviceKey(String tenant, PublicKey key) {}
}
