package dev.flotilla.render;

import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.BundlePayload;

/**
 * A device's rendered desired state: the bundle payload without version, issue and expiry times and source commit
 * (the publisher stamps those on its bytes), the hash of its content, which decides whether the device needs a new
 * bundle, and its canonical JSON, encoded once for both. {@code canonical} is null in a copy kept for later passes
 * ({@link #withoutBytes}); {@link #bytes} then encodes the payload again.
 */
public record RenderedDevice(BundlePayload payload, String contentHash, byte[] canonical) {

  /** The payload, encoded, and hashed: sha256 of its canonical JSON. The payload must not change afterwards. */
  public static RenderedDevice of(BundlePayload payload) {
    var canonical = BundlePayloads.encode(payload);
    return new RenderedDevice(payload, Digest.sha256(canonical).toString(), canonical);
  }

  public String device() {
    return payload.getDevice();
  }

  public String tenant() {
    return payload.getTenant();
  }

  /** The payload's canonical JSON, unstamped. */
  public byte[] bytes() {
    return canonical != null ? canonical : BundlePayloads.encode(payload);
  }

  /** The same render without its bytes, to keep across passes: an unchanged device is rarely signed again. */
  public RenderedDevice withoutBytes() {
    return canonical == null ? this : new RenderedDevice(payload, contentHash, null);
  }
}
