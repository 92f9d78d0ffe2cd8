package dev.flotilla.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.auth.VerifiedSignatures;
import dev.flotilla.model.StatusReport;
import dev.flotilla.publish.ArtifactStore;
import dev.flotilla.reconcile.Reconciler;
import dev.flotilla.reconcile.ReconcilerMetrics;
import dev.flotilla.schema.SchemaValidator;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The reconciler's HTTP API on the JDK's server, one virtual thread per request, over TLS unless it is given no
 * SSL context (tests of the plain handler only). Devices authenticate every request with {@link RequestSignature};
 * a device reads only its own bundle; unknown and removed devices get 401.
 * <pre>
 * GET  /v1/devices/{id}/bundle[?wait=30s]   the signed bundle; ETag, If-None-Match → 304, long-poll with wait
 * POST /v1/devices/{id}/status              a StatusReport
 * GET  /v1/artifacts/{sha256-hex}           artifact bytes from the artifact store (see ArtifactRequest)
 * GET  /v1/trust/roots                      every trust root version, oldest first (public)
 * POST /v1/hooks/git                        fetch now (Bearer token when one is configured)
 * GET  /v1/devices                          operators: versions, last seen, compliance ({@link DeviceListing})
 * POST /v1/claims, GET /v1/claims/{id}      enrol a new device ({@link ClaimRequests})
 * GET  /healthz                             200 when serving a good commit, else 503
 * GET  /metrics                             Prometheus text format
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
  static final Duration MAX_WAIT = Duration.ofSeconds(60);
  static final int MAX_BODY = 1 << 20;
  private static final Pattern DEVICE_PATH = Pattern.compile("^/v1/devices/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)/(bundle|status)$");
  private static final Pattern ARTIFACT_PATH = Pattern.compile("^/v1/artifacts/([a-f0-9]{64})$");
  private static final Pattern CLAIM_PATH = Pattern.compile("^/v1/claims/c[0-9a-f]{20}$");
  private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .addModule(new JavaTimeModule()).disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Reconciler reconciler;
  private final ReconcilerMetrics metrics;
  private final BundleWatch watch;
  private final StatusBoard statuses;
  private final Runnable hook;
  private final String hookToken;
  private final Clock clock;
  private final SchemaValidator validator = new SchemaValidator();
  private final ArtifactStore artifacts;
  private final VerifiedSignatures verified = new VerifiedSignatures(VerifiedSignatures.DEFAULT_CAPACITY);
  private volatile ClaimRequests claims;

  /** With an artifact store to serve; null serves none. */
  public ApiServer(InetSocketAddress address, SSLContext tls, Reconciler reconciler, ReconcilerMetrics metrics,
      StatusBoard statuses, Runnable hook, String hookToken, Clock clock, ArtifactStore artifacts) throws IOException {
    this.artifacts = artifacts;
    this.reconciler = reconciler;
    this.metrics = metrics;
    this.watch = new BundleWatch(reconciler.publisher());
    this.statuses = statuses;
    this.hook = hook;
    this.hookToken = hookToken;
    this.clock = clock;
    if (tls == null) {
      server = HttpServer.create(address, 512);
    } else {
      var https = HttpsServer.create(address, 512);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Serves the claim endpoints through {@code desk}; without it they answer 404. */
  public ApiServer claims(dev.flotilla.claim.ClaimDesk desk) {
    claims = new ClaimRequests(desk, JSON, validator, clock);
    return this;
  }

  public void start() {
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Wakes long-polling devices; call after each publish. */
  public void published() {
    watch.changed();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    var route = "other";
    int code;
    try (exchange) {
      var path = exchange.getRequestURI().getPath();
      var device = DEVICE_PATH.matcher(path);
      var artifact = ARTIFACT_PATH.matcher(path);
      if (claims != null && path.startsWith("/v1/claims")) {
        route = "claims";
        code = path.equals("/v1/claims") ? claims.submit(exchange)
            : CLAIM_PATH.matcher(path).matches() ? claims.poll(exchange, path.substring("/v1/claims/".length()))
            : Responses.send(exchange, 404, "not found: " + path);
      } else if (device.matches()) {
        route = device.group(3);
        code = new DeviceRequest(this, exchange, device.group(1)).handle(route);
      } else if (artifact.matches()) {
        route = "artifact";
        code = new ArtifactRequest(this, exchange, artifact.group(1)).handle(artifacts);
      } else {
        route = path;
        code = switch (path) {
          case "/healthz" -> health(exchange);
          case "/metrics" -> metrics(exchange);
          case "/v1/trust/roots" -> roots(exchange);
          case "/v1/hooks/git" -> gitHook(exchange);
          case "/v1/devices" -> DeviceListing.handle(exchange, hookToken, reconciler.publisher().all(),
              statuses.all(), JSON);
          default -> {
            route = "other";
            yield Responses.send(exchange, 404, "not found: " + path);
          }
        };
      }
    } catch (RuntimeException e) {
      code = 500;
    }
    metrics.request(route, code);
  }

  private int health(HttpExchange exchange) throws IOException {
    var status = reconciler.status();
    var node = JSON.createObjectNode().put("ready", status.ready()).put("reason", status.reason())
        .put("message", status.message());
    if (status.good() != null) {
      node.put("commit", status.good().commit());
    }
    node.set("heldBack", JSON.valueToTree(status.heldBackReport()));
    var serving = reconciler.served() != null;
    return Responses.json(exchange, serving ? 200 : 503, JSON.writeValueAsBytes(node));
  }

  private int metrics(HttpExchange exchange) throws IOException {
    var out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
    return Responses.bytes(exchange, 200, out.toByteArray());
  }

  private int roots(HttpExchange exchange) throws IOException {
    var served = reconciler.served();
    if (served == null) {
      return Responses.send(exchange, 503, "no good commit yet");
    }
    var array = JSON.createArrayNode();
    for (var root : served.rootChain()) {
      array.add(JSON.readTree(root));
    }
    return Responses.json(exchange, 200, JSON.writeValueAsBytes(array));
  }

  private int gitHook(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use POST");
    }
    if (hookToken != null && !("Bearer " + hookToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      return Responses.send(exchange, 401, "hook token required");
    }
    hook.run();
    return Responses.send(exchange, 202, "fetching");
  }

  Reconciler reconciler() {
    return reconciler;
  }

  BundleWatch watch() {
    return watch;
  }

  Clock clock() {
    return clock;
  }

  /** Device request signatures already verified (only the ECDSA verify of a given key is cached). */
  VerifiedSignatures verified() {
    return verified;
  }

  void report(String device, byte[] body) throws IOException, BadRequest {
    var tree = JSON.readTree(body);
    var problems = validator.validate("status", "status-report.yaml", tree);
    if (!problems.isEmpty()) {
      throw new BadRequest("status report: " + problems.getFirst().message());
    }
    var report = JSON.treeToValue(tree, StatusReport.class);
    if (!device.equals(report.getDevice())) {
      throw new BadRequest("status report names device '" + report.getDevice() + "', not '" + device + "'");
    }
    statuses.put(device, report, clock.instant());
  }

  static byte[] readBody(InputStream in) throws IOException, BadRequest {
    var body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new BadRequest("body over " + MAX_BODY + " bytes");
    }
    return body;
  }

  /** A request the server refuses with 400 and this message. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
