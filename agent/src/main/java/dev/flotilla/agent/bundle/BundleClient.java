package dev.flotilla.agent.bundle;

import dev.flotilla.auth.RequestSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's side of the reconciler API: fetch this device's bundle (long-poll with an entity tag), fetch the
 * trust root history, send status. Every request is signed with the device key ({@link RequestSignature}); the
 * server is trusted through the CA certificate in the agent config, or the system's CAs when none is given.
 * Thread-safe. Errors are IOExceptions whose message says what failed and the server's answer.
 */
public final class BundleClient {
  /** What a fetch returned: a new bundle and its tag, or nothing new. */
  public sealed interface Fetch permits Fetch.Changed, Fetch.NotModified, Fetch.NoBundle {
    record Changed(byte[] bundle, String etag) implements Fetch {}

    record NotModified() implements Fetch {}

    /** The server knows the device but has no bundle for it (not rendered yet). */
    record NoBundle() implements Fetch {}
  }

  private static final int MAX_BUNDLE = 16 << 20;
  /**
   * How long a bundle poll reuses its signature: the server then verifies it once (it caches verified
   * signatures) instead of on every poll. Well inside {@link RequestSignature#MAX_SKEW}; only for the idempotent
   * GET of this device's own bundle, whose replay within the skew gains nothing TLS did not already protect.
   */
  static final Duration REUSE_POLL_SIGNATURE = Duration.ofSeconds(60);

  private record PollSignature(String path, java.time.Instant at, java.util.Map<String, String> headers) {}

  private volatile PollSignature poll;
  private final URI server;
  private final String device;
  private final PrivateKey key;
  private final Clock clock;
  private final HttpClient http;

  public BundleClient(URI server, Path serverCa, String device, PrivateKey key, Clock clock) throws IOException {
    this.server = server;
    this.device = device;
    this.key = key;
    this.clock = clock;
    var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (serverCa != null) {
      builder.sslContext(trusting(serverCa));
    }
    this.http = builder.build();
  }

  public Fetch fetch(String etag, Duration wait) throws IOException, InterruptedException {
    return fetched(send(fetchRequest(etag, wait)));
  }

  /**
   * {@link #fetch} without blocking the caller, so a loop can wait for either the long-poll or a local event. The
   * future fails with the IOException {@link #fetch} would throw; cancelling it abandons the request.
   */
  public CompletableFuture<Fetch> fetchAsync(String etag, Duration wait) {
    return http.sendAsync(fetchRequest(etag, wait), HttpResponse.BodyHandlers.ofInputStream())
        .handle((response, error) -> {
          try {
            if (error != null) {
              throw unreachable(error instanceof CompletionException ? error.getCause() : error);
            }
            return fetched(response);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        });
  }

  private HttpRequest fetchRequest(String etag, Duration wait) {
    var path = "/v1/devices/" + device + "/bundle" + (wait.isZero() ? "" : "?wait=" + wait.toSeconds() + "s");
    var request = HttpRequest.newBuilder(server.resolve(path)).GET().timeout(wait.plusSeconds(15));
    pollSignature(path).forEach(request::header);
    if (etag != null) {
      request.header("If-None-Match", etag);
    }
    return request.build();
  }

  /** The signature headers of a bundle poll: the last ones for this path while under a minute old, else new. */
  private java.util.Map<String, String> pollSignature(String path) {
    var now = clock.instant();
    var last = poll;
    if (last != null && last.path().equals(path) && !now.isBefore(last.at())
        && now.isBefore(last.at().plus(REUSE_POLL_SIGNATURE))) {
      return last.headers();
    }
    var headers = RequestSignature.sign(key, device, "GET", path, new byte[0], now);
    poll = new PollSignature(path, now, headers);
    return headers;
  }

  private static Fetch fetched(HttpResponse<InputStream> response) throws IOException {
    return switch (response.statusCode()) {
      case 200 -> {
        byte[] body;
        try (InputStream in = response.body()) {
          body = in.readNBytes(MAX_BUNDLE + 1);
        }
        if (body.length > MAX_BUNDLE) {
          throw new IOException("fetch bundle: over " + MAX_BUNDLE + " bytes; refusing it");
        }
        yield new Fetch.Changed(body, response.headers().firstValue("ETag").orElse(null));
      }
      case 304 -> new Fetch.NotModified();
      case 404 -> new Fetch.NoBundle();
      default -> throw failure("fetch bundle", response);
    };
  }

  /** Every trust root version the server knows, oldest first, as JSON documents. */
  public byte[] roots() throws IOException, InterruptedException {
    var response = send(signed("GET", "/v1/trust/roots", new byte[0]).GET().timeout(Duration.ofSeconds(30)).build());
    if (response.statusCode() != 200) {
      throw failure("fetch trust roots", response);
    }
    try (InputStream in = response.body()) {
      return in.readNBytes(MAX_BUNDLE);
    }
  }

  public void report(byte[] statusJson) throws IOException, InterruptedException {
    var path = "/v1/devices/" + device + "/status";
    var request = signed("POST", path, statusJson).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(statusJson)).build();
    var response = send(request);
    if (response.statusCode() != 204) {
      throw failure("report status", response);
    }
    response.body().close();
  }

  /**
   * Opens an artifact's bytes at {@code url}: signed with the device key when the URL is on this agent's server
   * (the reconciler serves artifacts only to its devices), plain otherwise. The caller checks digest and size.
   *
   * @throws IOException when the URL answers anything but 200
   */
  public InputStream openArtifact(URI url) throws IOException {
    var own = url.getScheme().equals(server.getScheme()) && url.getPort() == server.getPort()
        && url.getHost() != null && url.getHost().equalsIgnoreCase(server.getHost());
    var pathAndQuery = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    var request = own ? signed("GET", pathAndQuery, new byte[0], url) : HttpRequest.newBuilder(url);
    try {
      var response = (own ? http : plainHttp()).send(request.GET().timeout(Duration.ofMinutes(10)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw failure("download '" + url + "'", response);
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("download '" + url + "': interrupted", e);
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("download") ? e
          : new IOException("download '" + url + "': " + e.getMessage(), e);
    }
  }

  private HttpClient plainHttp() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  private HttpRequest.Builder signed(String method, String path, byte[] body, URI url) {
    var request = HttpRequest.newBuilder(url);
    RequestSignature.sign(key, device, method, path, body, clock.instant()).forEach(request::header);
    return request;
  }

  private HttpRequest.Builder signed(String method, String path, byte[] body) {
    var request = HttpRequest.newBuilder(server.resolve(path));
    RequestSignature.sign(key, device, method, path, body, clock.instant()).forEach(request::header);
    return request;
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private IOException unreachable(Throwable e) {
    return new IOException("reach '" + server + "': " + (e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getMessage()), e);
  }

  private static IOException failure(String action, HttpResponse<InputStream> response) throws IOException {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(500)).strip();
    }
    var hint = switch (response.statusCode()) {
      case 401 -> "; is this device in the fleet repo with this key? ('flotilla device keygen')";
      case 403 -> "; a device may only read its own bundle";
      default -> "";
    };
    return new IOException(action + ": server answered " + response.statusCode() + " " + body + hint);
  }

  /** An SSL context trusting only the certificates in {@code caPem}. */
  public static SSLContext trusting(Path caPem) throws IOException {
    try (InputStream in = Files.newInputStream(caPem)) {
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      var context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("load server CA '" + caPem + "': " + e.getMessage(), e);
    }
  }
}
