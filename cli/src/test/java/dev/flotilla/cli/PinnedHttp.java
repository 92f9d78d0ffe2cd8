package dev.flotilla.cli;

import dev.flotilla.trust.PinnedCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** HTTPS GETs to the reconciler on loopback that trust only its pinned certificate. */
final class PinnedHttp {
  private PinnedHttp() {}

  /** The body of an unauthenticated GET, such as {@code /v1/trust/roots}. */
  static String get(Path certificate, int port, String path) throws Exception {
    return get(certificate, port, path, null);
  }

  /** The body of a GET as the operator ({@code token} as a bearer token; none when null), such as {@code /healthz}. */
  static String get(Path certificate, int port, String path, String token) throws Exception {
    try (var http = HttpClient.newBuilder().sslContext(PinnedCa.sslContext(certificate)).build()) {
      var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
      }
      return response.body();
    }
  }
}
