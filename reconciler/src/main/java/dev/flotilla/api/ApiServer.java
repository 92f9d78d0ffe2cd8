package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.access.OperatorTokens;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.publish.ArtifactStore;
import dev.flotilla.reconcile.Reconciler;
import dev.flotilla.reconcile.ReconcilerMetrics;
import dev.flotilla.status.StatusBoard;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The reconciler's HTTP API on the JDK's server, one virtual thread per request, over TLS unless it is given no
 * SSL context (tests of the plain handler only), and its metrics on a listener of their own. Devices authenticate
 * every request with {@link RequestSignature}, checked from the headers before any body is read; a device reads
 * only its own bundle; unknown and removed devices get 401. Operator routes need the operator token, whoever calls.
 * <pre>
 * GET  /v1/devices/{id}/bundle[?wait=30s]   the signed bundle; ETag, If-None-Match → 304, long-poll with wait
 * POST /v1/devices/{id}/status              a StatusReport (at most 1 MiB); 200 answering for its receipts
 * GET  /v1/artifacts/{sha256-hex}           artifact bytes from the artifact store (see ArtifactRequest)
 * GET  /v1/trust/roots                      every trust root version, oldest first (public)
 * POST /v1/claims, GET /v1/claims/{id}      enrol a new device ({@link ClaimRequests})
 * GET  /healthz                             200 when serving a good commit, else 503; ready and reason for anyone,
 *                                           the message and commit only with the operator token
 * POST /v1/hooks/git                        fetch now (operator token)
 * GET  /v1/devices                          operators: versions, last seen, compliance ({@link DeviceListing})
 * GET  /v1/devices/{id}                     operators: the last report, failing resources, recent history
 * GET  /v1/history?device=&amp;kind=...    operators: history events, newest first ({@link HistoryRoute})
 * GET  /ui/...                              the status board, when a context is added ({@link #context})
 * GET  /metrics                             Prometheus text format, only on the metrics listener (plain HTTP)
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
  private final HttpServer server;
  private final HttpServer metricsServer;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ReconcilerMetrics metrics;
  private final ApiRoutes routes;
  private final Clock clock;
  private final OperatorTokens operators;

  /**
   * Where and how to listen, and who is an operator.
   *
   * @param listen         the device listener
   * @param tls            its SSL context; null for plain HTTP (tests only)
   * @param metricsListen  the metrics listener (plain HTTP; keep it on loopback or a private network); null for none
   * @param operatorToken  the reconciler's own operator token (all tenants); required; {@code operators/} files of
   *                       the served commit add tokens scoped to tenants
   * @param trustedProxies IP addresses whose {@code X-Forwarded-For} is believed for rate limits
   */
  public record Options(InetSocketAddress listen, SSLContext tls, InetSocketAddress metricsListen,
      String operatorToken, List<String> trustedProxies) {}

  /** With an artifact store to serve; null serves none. */
  public ApiServer(Options options, Reconciler reconciler, ReconcilerMetrics metrics, StatusBoard statuses,
      Runnable hook, Clock clock, ArtifactStore artifacts) throws IOException {
    this.metrics = metrics;
    this.clock = clock;
    var fleet = new ApiRoutes.Fleet(reconciler::served, reconciler::status, reconciler.publisher(), statuses, hook);
    operators = new OperatorTokens(options.operatorToken(), reconciler::snapshot);
    routes = new ApiRoutes(fleet, metrics, new Callers(operators, proxies(options.trustedProxies())), clock,
        artifacts);
    if (options.tls() == null) {
      server = HttpServer.create(options.listen(), 512);
    } else {
      var https = HttpsServer.create(options.listen(), 512);
      https.setHttpsConfigurator(new HttpsConfigurator(options.tls()));
      server = https;
    }
    server.setExecutor(executor);
    server.createContext("/", routes);
    var metricsAt = options.metricsListen();
    metricsServer = metricsAt == null ? null
        : HttpServer.create(new InetSocketAddress(metricsAt.getHostString(), metricsAt.getPort()), 16);
    if (metricsServer != null) {
      metricsServer.setExecutor(executor);
      metricsServer.createContext("/", this::scrape);
    }
  }

  /** The IP addresses of {@code literals}; refuses host names, which would need DNS on every request. */
  public static List<InetAddress> proxies(List<String> literals) {
    var result = new ArrayList<InetAddress>();
    for (var literal : literals) {
      var address = Callers.literal(literal.strip());
      if (address == null) {
        throw new IllegalArgumentException("trusted proxy '" + literal + "': not an IP address");
      }
      result.add(address);
    }
    return result;
  }

  /** Serves the claim endpoints through {@code desk}; without it they answer 404. */
  public ApiServer claims(dev.flotilla.claim.ClaimDesk desk) {
    routes.claims(new ClaimRequests(desk, ApiRoutes.JSON, routes.validator(), clock).warm());
    return this;
  }

  /** Serves {@code handler} under {@code path} on the device listener (the status board under {@code /ui/}). */
  public ApiServer context(String path, HttpHandler handler) {
    server.createContext(path, handler);
    return this;
  }

  /** Who each operator token is: the reconciler's own, or an {@code operators/} file of the served commit. */
  public OperatorTokens operators() {
    return operators;
  }

  /** Takes the receipts status reports carry through {@code desk}; without it they are left unanswered. */
  public ApiServer receipts(dev.flotilla.audit.ReceiptDesk desk) {
    routes.receipts(desk);
    return this;
  }

  /** Serves {@code GET /v1/history} and the history of {@code GET /v1/devices/{id}} from {@code history}. */
  public ApiServer history(dev.flotilla.history.History history) {
    routes.history(history);
    return this;
  }

  public void start() {
    server.start();
    if (metricsServer != null) {
      metricsServer.start();
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The metrics listener's address; null when there is none. */
  public InetSocketAddress metricsAddress() {
    return metricsServer == null ? null : metricsServer.getAddress();
  }

  /** Wakes long-polling devices; call after each publish. */
  public void published() {
    routes.watch().changed();
  }

  @Override
  public void close() {
    server.stop(0);
    if (metricsServer != null) {
      metricsServer.stop(0);
    }
    executor.shutdownNow();
  }

  private void scrape(HttpExchange exchange) {
    try (exchange) {
      Responses.guarded(exchange, "/metrics", e -> {
        if (!"/metrics".equals(e.getRequestURI().getPath())) {
          return Responses.send(e, 404, "not found: " + e.getRequestURI().getPath() + "; try /metrics");
        }
        if (!"GET".equals(e.getRequestMethod())) {
          return Responses.send(e, 405, "use GET");
        }
        var out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        e.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        return Responses.bytes(e, 200, out.toByteArray());
      });
    }
  }
}
