package dev.flotilla.oci;

/** The media types of a Flotilla artifact stored as an OCI artifact. The signature stays Flotilla's own. */
public final class MediaTypes {
  /** The manifest's {@code artifactType}: this manifest holds a Flotilla artifact. */
  public static final String ARTIFACT = "application/vnd.flotilla.artifact.v1";
  /** The layer holding the artifact's bytes (the tarball or binary the artifact file signs). */
  public static final String CONTENT = "application/vnd.flotilla.artifact.content.v1";
  /** The layer holding its CycloneDX SBOM. */
  public static final String SBOM = "application/vnd.cyclonedx+json";
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  /** The empty config every OCI artifact without a config of its own carries. */
  public static final String EMPTY = "application/vnd.oci.empty.v1+json";

  private MediaTypes() {
  }
}
