package dev.flotilla.cli;

import dev.flotilla.auth.RequestSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** GETs from the reconciler over HTTPS as a device would: pinned server certificate, signed request headers. */
record DeviceClient(Path serverCertificate, int port) {

  /** Signed by {@code key} as {@code device}; with a null key, no authentication headers at all. */
  HttpResponse<byte[]> get(String path, String device, PrivateKey key) throws Exception {
    return get(path, key == null ? java.util.Map.of()
        : RequestSignature.sign(key, device, "GET", path, new byte[0], Instant.now()));
  }

  /** POSTs {@code body} signed by {@code key} as {@code device}, as an agent sends its status. */
  HttpResponse<byte[]> post(String path, String device, PrivateKey key, byte[] body) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    RequestSignature.sign(key, device, "POST", path, body, Instant.now()).forEach(request::header);
    try (var http = HttpClient.newBuilder().sslContext(tls()).build()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  /** With exactly these request headers, e.g. a signature sent before. */
  HttpResponse<byte[]> get(String path, java.util.Map<String, String> headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path));
    headers.forEach(request::header);
    try (var http = HttpClient.newBuilder().sslContext(tls()).build()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  /** TLS that trusts only the reconciler's certificate. */
  SSLContext tls() throws Exception {
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    var store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (var in = Files.newInputStream(serverCertificate)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    trust.init(store);
    var tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return tls;
  }
}
