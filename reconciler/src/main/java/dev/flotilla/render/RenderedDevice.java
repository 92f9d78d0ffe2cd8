package dev.flotilla.render;

import dev.flotilla.model.BundlePayload;

/**
 * A device's rendered desired state: the bundle payload without version, issue and expiry times and source commit
 * (the publisher stamps those), and the hash of its content, which decides whether the device needs a new bundle.
 */
public record RenderedDevice(BundlePayload payload, String contentHash) {

  public String device() {
    return payload.getDevice();
  }

  public String tenant() {
    return payload.getTenant();
  }
}
