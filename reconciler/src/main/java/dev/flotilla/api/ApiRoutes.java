package dev.flotilla.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.flotilla.audit.ReceiptDesk;
import dev.flotilla.auth.VerifiedSignatures;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.StatusReport;
import dev.flotilla.publish.ArtifactStore;
import dev.flotilla.publish.Publisher;
import dev.flotilla.reconcile.FleetStatus;
import dev.flotilla.reconcile.ReconcilerMetrics;
import dev.flotilla.reconcile.Served;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.status.StatusBoard;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The routes of the device listener (see {@link ApiServer} for the list), each run inside
 * {@link Responses#guarded}: every request is answered with a status code and counted by route and code.
 * Operator routes need the operator token ({@link Callers}); device routes authenticate before reading a body.
 */
final class ApiRoutes implements HttpHandler {
  /** The route names, as in the {@code route} label of the request metric. */
  static final List<String> NAMES = List.of("claims", "bundle", "status", "artifact", "/healthz", "/v1/trust/roots",
      "/v1/hooks/git", "/v1/devices", "/v1/history", "device", "other");
  static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private static final Pattern DEVICE_PATH = Pattern.compile(
      "^/v1/devices/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)/(bundle|status)$");
  private static final String ARTIFACTS = "/v1/artifacts/";
  private static final Pattern ARTIFACT_PATH = Pattern.compile("^" + ARTIFACTS + "[a-f0-9]{64}$");
  private static final Pattern OBSERVED_PATH = Pattern.compile("^/v1/devices/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$");
  private static final Pattern CLAIM_PATH = Pattern.compile("^/v1/claims/c[0-9a-f]{20}$");
  static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .addModule(new JavaTimeModule()).disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

  /** What the routes serve: the commit being served, the reconciler's status, bundles, reports, the Git hook. */
  record Fleet(Supplier<Served> served, Supplier<FleetStatus> status, Publisher publisher, StatusBoard statuses,
      Runnable hook) {}

  private final Fleet fleet;
  private final ReconcilerMetrics metrics;
  private final Callers callers;
  private final Clock clock;
  private final ArtifactStore artifacts;
  private final BundleWatch watch;
  private final SchemaValidator validator = new SchemaValidator();
  private final VerifiedSignatures verified = new VerifiedSignatures(VerifiedSignatures.DEFAULT_CAPACITY);
  /**
   * Status bodies read before their signature is checked: 4 × 1 MiB at most in memory (16 let a flood of bodies
   * with bad signatures keep ~30 MB live: bench/http-load.sh).
   */
  private final Admission unverified = new Admission(4, 256, Duration.ofSeconds(10));
  private volatile ClaimRequests claims;
  private volatile ReceiptDesk receipts;
  private volatile dev.flotilla.history.History history;

  ApiRoutes(Fleet fleet, ReconcilerMetrics metrics, Callers callers, Clock clock, ArtifactStore artifacts) {
    this.fleet = fleet;
    this.metrics = metrics;
    this.callers = callers;
    this.clock = clock;
    this.artifacts = artifacts;
    this.watch = new BundleWatch(fleet.publisher());
  }

  void claims(ClaimRequests requests) {
    claims = requests;
  }

  void receipts(ReceiptDesk desk) {
    receipts = desk;
  }

  void history(dev.flotilla.history.History history) {
    this.history = history;
  }

  @Override
  public void handle(HttpExchange exchange) {
    try (exchange) {
      var path = exchange.getRequestURI().getPath();
      var route = route(path);
      metrics.request(route, Responses.guarded(exchange, route, e -> answer(route, path, e)));
    }
  }

  static String route(String path) {
    var device = DEVICE_PATH.matcher(path);
    if (path.equals("/v1/claims") || path.startsWith("/v1/claims/")) {
      return "claims";
    }
    if (device.matches()) {
      return device.group(3);
    }
    if (ARTIFACT_PATH.matcher(path).matches()) {
      return "artifact";
    }
    if (OBSERVED_PATH.matcher(path).matches()) {
      return "device";
    }
    return NAMES.contains(path) ? path : "other";
  }

  private int answer(String route, String path, HttpExchange exchange) throws IOException {
    return switch (route) {
      case "claims" -> claim(path, exchange);
      case "bundle", "status" -> new DeviceRequest(this, exchange, deviceOf(path)).handle(route);
      case "artifact" -> new ArtifactRequest(this, exchange, new Digest(path.substring(ARTIFACTS.length())))
          .handle(artifacts);
      case "/healthz" -> health(exchange);
      case "/v1/trust/roots" -> roots(exchange);
      case "/v1/hooks/git" -> gitHook(exchange);
      case "/v1/devices" -> DeviceListing.handle(exchange, callers, fleet.publisher(), fleet.statuses(), JSON);
      case "/v1/history" -> history == null ? Responses.send(exchange, 404, "not found: " + path)
          : HistoryRoute.handle(exchange, callers, history, JSON);
      case "device" -> DeviceObserved.handle(exchange, path.substring("/v1/devices/".length()), callers, fleet,
          history, JSON);
      default -> Responses.send(exchange, 404, "not found: " + path);
    };
  }

  private static String deviceOf(String path) {
    var matcher = DEVICE_PATH.matcher(path);
    return matcher.matches() ? matcher.group(1) : null;
  }

  private int claim(String path, HttpExchange exchange) throws IOException {
    var requests = claims;
    if (requests == null) {
      return Responses.send(exchange, 404, "not found: " + path);
    }
    if (path.equals("/v1/claims")) {
      return requests.submit(exchange, callers.source(exchange));
    }
    return CLAIM_PATH.matcher(path).matches() ? requests.poll(exchange, path.substring("/v1/claims/".length()))
        : Responses.send(exchange, 404, "not found: " + path);
  }

  /** Ready or not and why for anyone; the commit, the message and held-back tenants only for the operator. */
  private int health(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    var status = fleet.status().get();
    var node = JSON.createObjectNode().put("ready", status.ready()).put("reason", status.reason());
    if (callers.operator(exchange)) {
      node.put("message", status.message());
      if (status.good() != null) {
        node.put("commit", status.good().commit());
      }
      node.set("heldBack", JSON.valueToTree(status.heldBackReport()));
    }
    var serving = fleet.served().get() != null;
    return Responses.json(exchange, serving ? 200 : 503, JSON.writeValueAsBytes(node));
  }

  private int roots(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    var served = fleet.served().get();
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
    if (!callers.operator(exchange)) {
      return Responses.send(exchange, 401, "fetch now: operator token required; send 'Authorization: Bearer "
          + "<operator token>'");
    }
    fleet.hook().run();
    return Responses.send(exchange, 202, "fetching");
  }

  Served served() {
    return fleet.served().get();
  }

  Publisher publisher() {
    return fleet.publisher();
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

  Admission unverified() {
    return unverified;
  }

  ObjectMapper json() {
    return JSON;
  }

  SchemaValidator validator() {
    return validator;
  }

  /**
   * Takes a device's status report; returns the answer for the receipts it carries (null when it carries none,
   * or the server takes none: the device then keeps them).
   */
  byte[] report(String device, byte[] body) throws IOException, BadRequest {
    var tree = JSON.readTree(body);
    var problems = validator.validate("status", "status-report.yaml", tree);
    if (!problems.isEmpty()) {
      throw new BadRequest("status report: " + problems.getFirst().message());
    }
    var report = JSON.treeToValue(tree, StatusReport.class);
    if (!device.equals(report.getDevice())) {
      throw new BadRequest("status report names device '" + report.getDevice() + "', not '" + device + "'");
    }
    var carried = report.getReceipts();
    report.setReceipts(null); // the status board keeps the last report, not its receipts
    fleet.statuses().put(device, report, clock.instant());
    var desk = receipts;
    return carried == null || carried.isEmpty() || desk == null ? null
        : JSON.writeValueAsBytes(desk.take(device, carried));
  }

  /** A request the server refuses with 400 and this message. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }
}
