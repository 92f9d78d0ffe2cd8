package dev.flotilla.oci;

import dev.flotilla.digest.Digest;

/** What an OCI manifest says of a blob: its media type, digest and size. */
public record Descriptor(String mediaType, Digest digest, long size) {
  /** The empty config, {@code {}}. */
  public static final Descriptor EMPTY_CONFIG = of(MediaTypes.EMPTY, Manifest.EMPTY_JSON);

  public static Descriptor of(String mediaType, byte[] content) {
    return new Descriptor(mediaType, Digest.sha256(content), content.length);
  }
}
