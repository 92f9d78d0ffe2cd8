package dev.flotilla.agent.host.apps;

import dev.flotilla.digest.Digest;
import dev.flotilla.plan.InstallApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Downloads an artifact to a file, reading at most its signed size, and keeps the file only when its sha256 is the
 * signed one. URLs are tried in order; the first whose bytes check out wins.
 */
public final class ArtifactDownload {
  private final ArtifactSource source;

  public ArtifactDownload(ArtifactSource source) {
    this.source = source;
  }

  /**
   * Writes the verified bytes of {@code artifact} to {@code target} (mode 0600, replaced); on failure no file is
   * left at {@code target}.
   *
   * @throws IOException naming every URL tried and why it was refused
   */
  public void fetch(InstallApp.Artifact artifact, Path target) throws IOException {
    var problems = new StringBuilder();
    for (var url : artifact.urls()) {
      try {
        fetchOne(artifact, URI.create(url), target);
        return;
      } catch (IOException | IllegalArgumentException e) {
        Files.deleteIfExists(target);
        problems.append(problems.isEmpty() ? "" : "; ").append(e.getMessage());
      }
    }
    throw new IOException(problems.isEmpty() ? "the bundle lists no URL for it" : problems.toString());
  }

  private void fetchOne(InstallApp.Artifact artifact, URI url, Path target) throws IOException {
    var digest = Digest.newSha256();
    long total = 0;
    try (var in = source.open(url);
         OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
             StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      var buffer = new byte[65536];
      int n;
      while ((n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, artifact.size() + 1 - total))) > 0) {
        total += n;
        if (total > artifact.size()) {
          throw new IOException("'" + url + "' sends more than the signed " + artifact.size() + " bytes");
        }
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    var actual = Digest.of(digest.digest()).toString();
    if (!actual.equals(artifact.digest())) {
      throw new IOException("'" + url + "' has " + actual + " (" + total + " bytes), not the signed "
          + artifact.digest());
    }
  }
}
