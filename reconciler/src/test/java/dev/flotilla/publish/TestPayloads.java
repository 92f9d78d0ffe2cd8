package dev.flotilla.publish;

import dev.flotilla.model.BundlePayload;

/** Bundle payloads for the publish tests: the fields every bundle has, for one device of tenant acme. */
final class TestPayloads {
  private TestPayloads() {}

  /** A payload for {@code device} with no desired state yet. */
  static BundlePayload bare(String device) {
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("f");
    payload.setTenant("acme");
    payload.setDevice(device);
    payload.setIdentityHash("sha256:" + "0".repeat(64));
    payload.setRootVersion(1L);
    return payload;
  }
}
