package dev.flotilla.plan;

import java.util.List;

/**
 * Downloads an app version's artifact, verifies its signed sha256 and size, and unpacks it into its own version
 * directory. Nothing of it is unpacked or run before the digest checks out.
 *
 * @param app the app's name
 * @param version the version to install
 * @param artifact the artifact as the signed bundle lists it, or null when the bundle does not list it (the
 *     applier refuses the change)
 */
public record InstallApp(String app, String version, Artifact artifact) implements AppChange {

  /**
   * An artifact as a signed bundle lists it.
   *
   * @param name the artifact's name
   * @param digest {@code sha256:<hex>} of its bytes
   * @param size how many bytes to read at most
   * @param urls where to download it, tried in order
   * @param tarball whether it is a tarball to unpack (otherwise a single binary)
   */
  public record Artifact(String name, String digest, long size, List<String> urls, boolean tarball) {
    public Artifact {
      urls = List.copyOf(urls);
    }
  }

  @Override
  public String line() {
    return "+ app " + app + " " + version + " (install)";
  }

  @Override
  public String toString() {
    return line();
  }
}
