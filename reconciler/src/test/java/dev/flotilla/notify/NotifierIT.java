package dev.flotilla.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.history.RecentHistory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook deliveries to a real HTTP receiver on loopback that fails the first attempts: retried with backoff until
 * delivered, signed so the receiver can check, in the generic, Alertmanager and Slack shapes; a receiver that never
 * answers well gets a dead letter in the history. Backoff waits are recorded, not slept.
 */
class NotifierIT {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;
  HttpServer receiver;
  final AtomicInteger failFirst = new AtomicInteger();
  final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final RecentHistory history = new RecentHistory(100);
  Notifier notifier;

  record Received(String path, Map<String, String> headers, byte[] body, int answered) {}

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/", exchange -> {
      var body = exchange.getRequestBody().readAllBytes();
      int status = failFirst.getAndDecrement() > 0 ? 503 : 202;
      var headers = new java.util.HashMap<String, String>();
      for (var name : List.of(Delivery.TIMESTAMP, Delivery.SIGNATURE, Delivery.EVENT, "Content-Type")) {
        headers.put(name, exchange.getRequestHeaders().getFirst(name));
      }
      received.add(new Received(exchange.getRequestURI().getPath(), headers, body, status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    receiver.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private FleetSnapshot fleet(String notifications) throws Exception {
    var repo = Files.createDirectories(work.resolve("fleet-" + System.nanoTime()));
    Files.writeString(repo.resolve("fleet.yaml"), "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n"
        + "  name: shops\nspec:\n  trustRoot: trust/root.json\n  notifications:\n" + notifications);
    var result = new FleetLoader().load(new DirectoryTree(repo));
    assertThat(result.problems()).isEmpty();
    return result.snapshot();
  }

  private void start(FleetSnapshot snapshot, int attempts) {
    var retry = new Notifier.Retry(attempts, Duration.ofSeconds(1), Duration.ofSeconds(5), waits::add);
    notifier = new Notifier(history, () -> snapshot, work.resolve("secrets"), retry,
        Clock.fixed(NOW, ZoneOffset.UTC)).start();
  }

  private static HistoryEvent event(EventKind kind, String tenant, String device, String message) {
    var detail = JsonNodeFactory.instance.objectNode().put("message", message);
    return new HistoryEvent(NOW, tenant, device, kind, "0123456789abcdef0123", detail);
  }

  private Received next() throws InterruptedException {
    var got = received.poll(20, TimeUnit.SECONDS);
    assertThat(got).as("a delivery within 20 s").isNotNull();
    return got;
  }

  @Test
  void retriesWithBackoffUntilDeliveredAndSignsSoTheReceiverCanCheck() throws Exception {
    start(fleet("    - name: audit\n      url: " + url("/hook") + "\n"), 5);
    failFirst.set(2);

    history.record(event(EventKind.OFFLINE, "acme", "kiosk-7", "missed 3 heartbeats"));

    assertThat(next().answered()).isEqualTo(503);
    assertThat(next().answered()).isEqualTo(503);
    var delivered = next();
    assertThat(delivered.answered()).isEqualTo(202);
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    var secret = Files.readString(work.resolve("secrets/audit")).strip().getBytes(StandardCharsets.UTF_8);
    assertThat(delivered.headers().get(Delivery.SIGNATURE)).isEqualTo(Delivery.signature(secret,
        delivered.headers().get(Delivery.TIMESTAMP), delivered.body()));
    assertThat(delivered.headers().get(Delivery.TIMESTAMP)).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(Files.getPosixFilePermissions(work.resolve("secrets/audit")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    var body = JSON.readTree(delivered.body());
    assertThat(body.get("fleet").asText()).isEqualTo("shops");
    assertThat(body.get("kind").asText()).isEqualTo("offline");
    assertThat(body.get("device").asText()).isEqualTo("kiosk-7");
    assertThat(body.get("detail").get("message").asText()).isEqualTo("missed 3 heartbeats");
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(history.query(new HistoryQuery(null, null, Set.of(EventKind.NOTIFICATION_FAILED), null, null, 10)))
        .isEmpty();
  }

  @Test
  void aReceiverThatNeverAcceptsGetsADeadLetterInTheHistoryAndNoLoop() throws Exception {
    start(fleet("    - name: pager\n      url: " + url("/down") + "\n      events: [rollout]\n"), 3);
    failFirst.set(1_000);

    history.record(event(EventKind.ROLLOUT, "acme", null, "rollout kiosk-ui-1-6 rolled back at wave canary"));

    for (int i = 0; i < 3; i++) {
      assertThat(next().answered()).isEqualTo(503);
    }
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<HistoryEvent> dead = List.of();
    while (dead.isEmpty() && System.nanoTime() < deadline) {
      dead = history.query(new HistoryQuery(null, null, Set.of(EventKind.NOTIFICATION_FAILED), null, null, 10));
      Thread.sleep(20);
    }
    assertThat(dead).singleElement().satisfies(letter -> {
      assertThat(letter.tenant()).isEqualTo("acme");
      assertThat(letter.detail().get("webhook").asText()).isEqualTo("pager");
      assertThat(letter.detail().get("event").asText()).isEqualTo("rollout");
      assertThat(letter.detail().get("attempts").asInt()).isEqualTo(3);
      assertThat(letter.detail().get("message").asText()).isEqualTo("the receiver answered 503");
    });
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void sendsOnlyTheKindsAndTenantsAWebhookAsksFor() throws Exception {
    start(fleet("    - name: acme-only\n      url: " + url("/acme") + "\n      events: [offline]\n"
        + "      tenants: [acme]\n"), 1);

    history.record(event(EventKind.OFFLINE, "globex", "till-1", "missed"));
    history.record(event(EventKind.ONLINE, "acme", "kiosk-1", "back"));
    history.record(event(EventKind.OFFLINE, "acme", "kiosk-2", "missed"));

    var only = next();
    assertThat(JSON.readTree(only.body()).get("device").asText()).isEqualTo("kiosk-2");
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void speaksAlertmanagerAndSlack() throws Exception {
    start(fleet("    - name: am\n      url: " + url("/api/v2/alerts") + "\n      format: alertmanager\n"
        + "      events: [offline, online]\n    - name: chat\n      url: " + url("/slack") + "\n"
        + "      format: slack\n      events: [offline]\n"), 1);

    history.record(event(EventKind.OFFLINE, "acme", "kiosk-7", "missed 3 heartbeats"));
    var first = next();
    var second = next();
    var byPath = Map.of(first.path(), first, second.path(), second);

    JsonNode alerts = JSON.readTree(byPath.get("/api/v2/alerts").body());
    assertThat(alerts.isArray()).isTrue();
    var alert = alerts.get(0);
    assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("FlotillaOffline");
    assertThat(alert.get("labels").get("tenant").asText()).isEqualTo("acme");
    assertThat(alert.get("labels").get("device").asText()).isEqualTo("kiosk-7");
    assertThat(alert.get("labels").get("fleet").asText()).isEqualTo("shops");
    assertThat(alert.get("startsAt").asText()).isEqualTo(NOW.toString());
    assertThat(alert.has("endsAt")).isFalse();
    assertThat(JSON.readTree(byPath.get("/slack").body()).get("text").asText())
        .isEqualTo("[shops] offline: device acme/kiosk-7 - missed 3 heartbeats (commit 0123456789ab)");

    history.record(event(EventKind.ONLINE, "acme", "kiosk-7", "back"));
    var resolved = JSON.readTree(next().body()).get(0);
    assertThat(resolved.get("labels")).isEqualTo(alert.get("labels"));
    assertThat(resolved.get("endsAt").asText()).isEqualTo(NOW.toString());
  }
}
