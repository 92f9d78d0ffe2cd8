package dev.flotilla.oci;

import java.util.Base64;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to reach one registry: over HTTPS (the system's CAs, or {@code tls} for a pinned CA), or over plain HTTP for
 * a registry on a trusted network ({@code plainHttp}, as Docker's "insecure registries"); anonymously, or with a
 * user and password (sent as Basic to registries that ask for it, or exchanged for a bearer token at the realm the
 * registry names). {@link #toString()} never shows the password.
 */
public record RegistryAccess(String registry, boolean plainHttp, SSLSocketFactory tls, String username,
    String password) {
  /** Anonymous HTTPS with the system's CAs. */
  public static RegistryAccess anonymous(String registry) {
    return new RegistryAccess(registry, false, null, null, null);
  }

  String baseUrl() {
    return (plainHttp ? "http://" : "https://") + registry;
  }

  /** The Basic credentials, or null when anonymous. */
  String basic() {
    if (username == null) {
      return null;
    }
    var pair = username + ":" + (password == null ? "" : password);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "registry " + registry + (plainHttp ? " (plain HTTP)" : "") + (username == null ? "" : " as " + username);
  }
}
