package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.auth.RequestSignature;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.Revision;
import dev.flotilla.publish.BundleDirectory;
import dev.flotilla.publish.Publisher;
import dev.flotilla.reconcile.FleetStatus;
import dev.flotilla.reconcile.ReconcilerMetrics;
import dev.flotilla.reconcile.Served;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.status.StatusBoard;
import dev.flotilla.trust.Keys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device listener's routes on in-memory exchanges: what is answered, and whether a body was read for it. */
class ApiRoutesTest {
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  static final String COMMIT = "c0ffee0123456789c0ffee0123456789c0ffee01";
  static final KeyPair DEVICE_KEY = Keys.generate();
  static final byte[] ONE_MIB = new byte[1 << 20];
  @TempDir
  Path dir;
  final AtomicInteger hooks = new AtomicInteger();
  ApiRoutes routes;

  @BeforeEach
  void routes() throws Exception {
    var clock = Clock.fixed(NOW, ZoneOffset.UTC);
    var publisher = new Publisher(new BundleDirectory(dir), new BundleSigner(Keys.generate()), clock,
        Duration.ofDays(7));
    var revision = new Revision(COMMIT, NOW, "Enrol kiosk-a");
    var served = new Served(revision, Map.of("kiosk-a", new Served.DeviceKey("acme", DEVICE_KEY.getPublic())),
        null, List.of(), Map.of());
    var status = new FleetStatus(revision, revision, true, "Serving", "serving " + COMMIT + ": 1 device", NOW,
        List.of(), Map.of());
    var fleet = new ApiRoutes.Fleet(() -> served, () -> status, publisher, new StatusBoard(), hooks::incrementAndGet);
    routes = new ApiRoutes(fleet, new ReconcilerMetrics(), new Callers("op-token", List.of()), clock, null);
    routes.claims(new ClaimRequests(null, ApiRoutes.JSON, new SchemaValidator(), clock));
    routes.history(new dev.flotilla.history.RecentHistory(10));
  }

  FakeExchange answer(FakeExchange exchange) {
    routes.handle(exchange);
    return exchange;
  }

  static FakeExchange post(String path, byte[] body) {
    return new FakeExchange("POST", path, "127.0.0.1", body).header("Content-Length", Integer.toString(body.length));
  }

  @Test
  void everyRouteAnswers500WithAGenericMessageWhenItsHandlerThrows() {
    var samples = new LinkedHashMap<String, String>();
    samples.put("claims", "/v1/claims");
    samples.put("bundle", "/v1/devices/kiosk-a/bundle");
    samples.put("status", "/v1/devices/kiosk-a/status");
    samples.put("artifact", "/v1/artifacts/" + "ab".repeat(32));
    samples.put("device", "/v1/devices/kiosk-a");
    for (var name : ApiRoutes.NAMES) {
      if (name.startsWith("/")) {
        samples.put(name, name);
      }
    }
    // 'other' only writes a 404; every route that does work is here
    assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(
        ApiRoutes.NAMES.stream().filter(n -> !n.equals("other")).toList());

    for (var sample : samples.entrySet()) {
      assertThat(ApiRoutes.route(sample.getValue())).isEqualTo(sample.getKey());
      var exchange = answer(new FakeExchange("GET", sample.getValue()).failing());

      assertThat(exchange.getResponseCode()).as(sample.getKey()).isEqualTo(500);
      assertThat(exchange.responseText()).as(sample.getKey()).isEqualTo(Responses.INTERNAL_ERROR + "\n")
          .doesNotContain("kaboom", "dev.flotilla", "Exception");
    }
  }

  @Test
  void statusOfAnUnknownDeviceIsRefusedWithoutReadingItsBody() {
    var exchange = answer(post("/v1/devices/ghost/status", ONE_MIB)
        .headers(RequestSignature.sign(Keys.generate().getPrivate(), "ghost", "POST", "/v1/devices/ghost/status",
            ONE_MIB, NOW)));

    assertThat(exchange.getResponseCode()).isEqualTo(401);
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void statusWithoutAnyAuthenticationIsRefusedWithoutReadingItsBody() {
    var exchange = answer(post("/v1/devices/kiosk-a/status", ONE_MIB));

    assertThat(exchange.getResponseCode()).isEqualTo(401);
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void statusWithAStaleDateIsRefusedWithoutReadingItsBody() {
    var exchange = answer(post("/v1/devices/kiosk-a/status", ONE_MIB)
        .headers(RequestSignature.sign(DEVICE_KEY.getPrivate(), "kiosk-a", "POST", "/v1/devices/kiosk-a/status",
            ONE_MIB, NOW.minus(Duration.ofMinutes(10)))));

    assertThat(exchange.getResponseCode()).isEqualTo(401);
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void statusDeclaringMoreThanTheLimitIsRefusedWithoutReadingItsBody() {
    var body = new byte[DeviceRequest.MAX_STATUS + 1];
    var exchange = answer(post("/v1/devices/kiosk-a/status", body)
        .headers(RequestSignature.sign(DEVICE_KEY.getPrivate(), "kiosk-a", "POST", "/v1/devices/kiosk-a/status",
            body, NOW)));

    assertThat(exchange.getResponseCode()).isEqualTo(413);
    assertThat(exchange.responseText()).isEqualTo("status report: body over 1048576 bytes\n");
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void statusThatPassesTheHeaderChecksIsReadOnceThenItsSignatureChecked() {
    var body = "{}".getBytes();
    var headers = new LinkedHashMap<>(RequestSignature.sign(DEVICE_KEY.getPrivate(), "kiosk-a", "POST",
        "/v1/devices/kiosk-a/status", "{\"other\":1}".getBytes(), NOW));
    var exchange = answer(post("/v1/devices/kiosk-a/status", body).headers(headers));

    assertThat(exchange.getResponseCode()).isEqualTo(401);
    assertThat(exchange.bodyRead()).isEqualTo(body.length);
  }

  @Test
  void claimDeclaringMoreThanTheCapIsRefusedWithoutReadingItsBody() {
    var exchange = answer(post("/v1/claims", ONE_MIB));

    assertThat(exchange.getResponseCode()).isEqualTo(413);
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void claimWithAStaleDateIsRefusedWithoutReadingItsBody() {
    var body = new byte[1000];
    var exchange = answer(post("/v1/claims", body).headers(RequestSignature.sign(DEVICE_KEY.getPrivate(), "claim",
        "POST", "/v1/claims", body, NOW.minus(Duration.ofHours(1)))));

    assertThat(exchange.getResponseCode()).isEqualTo(401);
    assertThat(exchange.bodyRead()).isZero();
  }

  @Test
  void operatorRoutesRefuseLoopbackCallersWithoutTheToken() {
    var list = answer(new FakeExchange("GET", "/v1/devices"));
    var wrong = answer(new FakeExchange("GET", "/v1/devices").header("Authorization", "Bearer nope"));
    var hook = answer(new FakeExchange("POST", "/v1/hooks/git"));

    assertThat(list.getResponseCode()).isEqualTo(401);
    assertThat(list.responseText()).startsWith("list devices: operator token required");
    assertThat(wrong.getResponseCode()).isEqualTo(401);
    assertThat(hook.getResponseCode()).isEqualTo(401);
    assertThat(hook.responseText()).startsWith("fetch now: operator token required");
    assertThat(hooks).hasValue(0);
  }

  @Test
  void operatorRoutesAnswerTheToken() {
    var list = answer(new FakeExchange("GET", "/v1/devices").header("Authorization", "Bearer op-token"));
    var hook = answer(new FakeExchange("POST", "/v1/hooks/git").header("Authorization", "Bearer op-token"));

    assertThat(list.getResponseCode()).isEqualTo(200);
    assertThat(list.responseText()).isEqualTo("[]");
    assertThat(hook.getResponseCode()).isEqualTo(202);
    assertThat(hooks).hasValue(1);
  }

  @Test
  void metricsAreNotOnTheDeviceListener() {
    var exchange = answer(new FakeExchange("GET", "/metrics"));

    assertThat(exchange.getResponseCode()).isEqualTo(404);
    assertThat(exchange.responseText()).doesNotContain("flotilla_");
  }

  @Test
  void healthSaysReadyAndWhyButNoCommitOrMessageWithoutTheToken() {
    var exchange = answer(new FakeExchange("GET", "/healthz"));

    assertThat(exchange.getResponseCode()).isEqualTo(200);
    assertThat(exchange.responseText()).isEqualTo("{\"ready\":true,\"reason\":\"Serving\"}")
        .doesNotContain(COMMIT.substring(0, 7));
  }

  @Test
  void healthShowsTheCommitAndMessageToTheOperator() {
    var exchange = answer(new FakeExchange("GET", "/healthz").header("Authorization", "Bearer op-token"));

    assertThat(exchange.getResponseCode()).isEqualTo(200);
    assertThat(exchange.responseText()).contains("\"commit\":\"" + COMMIT + "\"", "\"message\":\"serving ");
  }
}
