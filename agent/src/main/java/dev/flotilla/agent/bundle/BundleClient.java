package dev.flotilla.agent.bundle;

import dev.flotilla.auth.RequestSignature;
import dev.flotilla.bundle.BundleBytes;
import dev.flotilla.io.Failures;
import dev.flotilla.model.Receipt;
import dev.flotilla.receipt.ReceiptSigner;
import dev.flotilla.trust.PinnedCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;

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

  /** Trust root histories are small: a few JSON documents of keys. */
  private static final int MAX_ROOTS = 1 << 20;
  /** The answer to a status report names at most 16 receipts. */
  private static final int MAX_ANSWER = 64 << 10;
  /**
   * How long a bundle poll reuses its signature: the server then verifies it once (it caches verified
   * signatures) instead of on every poll. Well inside {@link RequestSignature#MAX_SKEW}; only for the idempotent
   * GET of this device's own bundle, whose replay within the skew gains nothing TLS did not already protect.
   */
  static final Duration REUSE_POLL_SIGNATURE = Duration.ofSeconds(60);

  private record PollSignature(String path, java.time.Instant at, Map<String, String> headers) {}

  private volatile PollSignature poll;
  private final URI server;
  private final String device;
  private final PrivateKey key;
  private final Clock clock;
  private final SSLSocketFactory tls;

  public BundleClient(URI server, Path serverCa, String device, PrivateKey key, Clock clock) throws IOException {
    this.server = server;
    this.device = device;
    this.key = key;
    this.clock = clock;
    this.tls = serverCa == null ? null : PinnedCa.sslContext(serverCa).getSocketFactory();
  }

  public Fetch fetch(String etag, Duration wait) throws IOException, InterruptedException {
    return fetch(etag, wait, new AtomicReference<>());
  }

  /**
   * {@link #fetch} without blocking the caller, so a loop can wait for either the long-poll or a local event. The
   * future fails with the IOException {@link #fetch} would throw. Cancelling it ends the request whenever it comes:
   * the fetch's virtual thread is interrupted, which closes a socket it blocks on (or is about to open), and an
   * open request is disconnected; so a stopping agent leaves no long-poll open on the server.
   */
  public CompletableFuture<Fetch> fetchAsync(String etag, Duration wait) {
    var call = new AtomicReference<HttpCall>();
    var future = new CompletableFuture<Fetch>();
    var poller = Thread.ofVirtual().name("bundle-poll").unstarted(() -> {
      try {
        future.complete(fetch(etag, wait, call));
      } catch (Throwable e) { // whatever it is, the loop waiting on this future must hear of it
        future.completeExceptionally(e);
      }
    });
    future.whenComplete((fetch, failure) -> {
      if (future.isCancelled()) {
        poller.interrupt();
        var open = call.get();
        if (open != null) {
          open.disconnect();
        }
      }
    });
    poller.start();
    return future;
  }

  private Fetch fetch(String etag, Duration wait, AtomicReference<HttpCall> call)
      throws IOException, InterruptedException {
    var path = "/v1/devices/" + device + "/bundle" + (wait.isZero() ? "" : "?wait=" + wait.toSeconds() + "s");
    var headers = new TreeMap<>(pollSignature(path));
    if (etag != null) {
      headers.put("If-None-Match", etag);
    }
    var response = send("GET", server.resolve(path), headers, null, wait.plusSeconds(15), call);
    return switch (response.status()) {
      case 200 -> new Fetch.Changed(body(response), response.header("ETag"));
      case 304 -> answered(response, new Fetch.NotModified());
      case 404 -> answered(response, new Fetch.NoBundle());
      default -> throw failure("fetch bundle", response);
    };
  }

  /**
   * The bundle in a 200 answer, read with {@link BundleBytes}: a Content-Length over the cap is refused before the
   * body is read, and a body that goes on past the cap is cut off there; the connection is then dropped.
   */
  private static byte[] body(HttpCall response) throws IOException {
    try (var in = response.body()) {
      return BundleBytes.read(in, response.connection().getContentLengthLong(), "fetch bundle");
    } catch (BundleBytes.TooLarge e) {
      response.disconnect();
      throw e;
    }
  }

  private static Fetch answered(HttpCall response, Fetch fetch) throws IOException {
    response.discard();
    return fetch;
  }

  /** The signature headers of a bundle poll: the last ones for this path while under a minute old, else new. */
  private Map<String, String> pollSignature(String path) {
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

  /** Every trust root version the server knows, oldest first, as JSON documents. */
  public byte[] roots() throws IOException, InterruptedException {
    var path = "/v1/trust/roots";
    var response = send("GET", server.resolve(path), signature("GET", path, new byte[0]), null,
        Duration.ofSeconds(30), new AtomicReference<>());
    if (response.status() != 200) {
      throw failure("fetch trust roots", response);
    }
    return response.read(MAX_ROOTS);
  }

  /**
   * Sends a status report; returns the answer's body: empty (204), or the JSON that answers for the receipts the
   * report carried (200).
   */
  public byte[] report(byte[] statusJson) throws IOException, InterruptedException {
    var path = "/v1/devices/" + device + "/status";
    var headers = new TreeMap<>(signature("POST", path, statusJson));
    headers.put("Content-Type", "application/json");
    var response = send("POST", server.resolve(path), headers, statusJson, Duration.ofSeconds(30),
        new AtomicReference<>());
    if (response.status() == 200) {
      return response.read(MAX_ANSWER);
    }
    if (response.status() != 204) {
      throw failure("report status", response);
    }
    response.discard();
    return new byte[0];
  }

  /** Signs a receipt with the device key, as every request is. */
  public byte[] sign(Receipt receipt) {
    return ReceiptSigner.sign(receipt, key);
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
    try {
      var response = HttpCall.send("GET", url, own ? signature("GET", pathAndQuery, new byte[0]) : Map.of(), null,
          Duration.ofMinutes(10), own ? tls : null);
      if (response.status() != 200) {
        throw failure("download '" + url + "'", response);
      }
      return response.body();
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("download") ? e
          : new IOException("download '" + url + "': " + Failures.describe(e), e);
    }
  }

  private Map<String, String> signature(String method, String path, byte[] body) {
    return RequestSignature.sign(key, device, method, path, body, clock.instant());
  }

  /** Sends to this agent's server; a connection that fails reads {@code reach '<server>': <cause>}. */
  private HttpCall send(String method, URI url, Map<String, String> headers, byte[] body, Duration timeout,
      AtomicReference<HttpCall> call) throws IOException, InterruptedException {
    try {
      var request = HttpCall.open(method, url, headers, timeout, tls);
      call.set(request);
      return request.send(body);
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("request to '" + server + "' interrupted");
      }
      throw new IOException("reach '" + server + "': " + Failures.describe(e), e);
    }
  }

  private static IOException failure(String action, HttpCall response) throws IOException {
    var body = new String(response.read(500), StandardCharsets.UTF_8).strip();
    var hint = switch (response.status()) {
      case 401 -> "; is this device in the fleet repo with this key? ('flotilla device keygen')";
      case 403 -> "; a device may only read its own bundle";
      default -> "";
    };
    return new IOException(action + ": server answered " + response.status() + " " + body + hint);
  }
}
