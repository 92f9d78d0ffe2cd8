package dev.flotilla.publish;

import java.time.Instant;

/** What the bundle store holds for one device: the signed bundle and what it was made from. */
public record Published(String tenant, String device, long version, String contentHash, String sourceCommit,
    Instant issuedAt, Instant expiresAt, byte[] bundle) {

  /** The HTTP entity tag of this bundle. */
  public String etag() {
    return "\"" + version + "\"";
  }
}
