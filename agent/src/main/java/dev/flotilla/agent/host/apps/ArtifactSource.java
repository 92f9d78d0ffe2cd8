package dev.flotilla.agent.host.apps;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Opens an artifact's bytes at a URL. Integrity is not its concern: {@link ArtifactDownload} checks the digest. */
public interface ArtifactSource {

  /**
   * The bytes at {@code url}; the caller closes the stream.
   *
   * @throws IOException when the URL cannot be read, with the server's answer
   */
  InputStream open(URI url) throws IOException;
}
