package dev.flotilla.agent.host.apps;

import dev.flotilla.model.RegistryLogin;
import dev.flotilla.oci.MediaTypes;
import dev.flotilla.oci.OciReference;
import dev.flotilla.oci.RegistryAccess;
import dev.flotilla.oci.RegistryClient;
import dev.flotilla.trust.PinnedCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Artifacts from OCI registries: {@code oci://registry/repository@sha256:<manifest>}. The manifest is fetched by
 * digest and checked against it, its {@link MediaTypes#CONTENT} layer is streamed (resumed after a broken
 * connection); {@link ArtifactDownload} then checks the bytes against the artifact's signed size and digest, so the
 * registry is trusted for nothing but availability. Other URLs go to {@code http}.
 */
public final class OciArtifacts implements ArtifactSource {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private final ArtifactSource http;
  private final Map<String, RegistryLogin> logins = new HashMap<>();
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  public OciArtifacts(ArtifactSource http, List<RegistryLogin> logins) {
    this.http = http;
    if (logins != null) {
      logins.forEach(login -> this.logins.put(login.getRegistry(), login));
    }
  }

  @Override
  public InputStream open(URI url) throws IOException {
    if (!OciReference.isOci(url.toString())) {
      return http.open(url);
    }
    OciReference ref;
    try {
      ref = OciReference.parse(url.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    var client = clients.get(ref.registry());
    if (client == null) {
      client = client(ref.registry());
      clients.put(ref.registry(), client);
    }
    var manifest = client.manifest(ref);
    if (!MediaTypes.ARTIFACT.equals(manifest.artifactType())) {
      throw new IOException("fetch '" + url + "': its manifest is of artifact type '" + manifest.artifactType()
          + "', not a Flotilla artifact ('" + MediaTypes.ARTIFACT + "')");
    }
    var content = manifest.layer(MediaTypes.CONTENT);
    if (content == null) {
      throw new IOException("fetch '" + url + "': its manifest has no layer of type " + MediaTypes.CONTENT);
    }
    return client.blob(ref.repository(), content);
  }

  private RegistryClient client(String registry) throws IOException {
    var login = logins.get(registry);
    if (login == null) {
      return new RegistryClient(RegistryAccess.anonymous(registry), TIMEOUT);
    }
    try {
      var tls = login.getCa() == null ? null : PinnedCa.sslContext(Path.of(login.getCa())).getSocketFactory();
      var password = login.getPasswordFile() == null ? null
          : Files.readString(Path.of(login.getPasswordFile())).strip();
      return new RegistryClient(new RegistryAccess(registry, Boolean.TRUE.equals(login.getPlainHttp()), tls,
          login.getUsername(), password), TIMEOUT);
    } catch (IOException e) {
      throw new IOException("read the login of registry " + registry + " from the agent config: " + e.getMessage()
          + "; fix its ca or passwordFile", e);
    }
  }
}
