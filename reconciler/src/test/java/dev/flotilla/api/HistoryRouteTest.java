package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.RecentHistory;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.publish.BundleDirectory;
import dev.flotilla.publish.Publisher;
import dev.flotilla.reconcile.FleetStatus;
import dev.flotilla.reconcile.ReconcilerMetrics;
import dev.flotilla.status.StatusBoard;
import dev.flotilla.trust.Keys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/history} and {@code GET /v1/devices/{id}} on in-memory exchanges. */
class HistoryRouteTest {
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  @TempDir
  Path dir;
  final RecentHistory history = new RecentHistory(100);
  final StatusBoard board = new StatusBoard();
  ApiRoutes routes;

  @BeforeEach
  void routes() throws Exception {
    var clock = Clock.fixed(NOW, ZoneOffset.UTC);
    var publisher = new Publisher(new BundleDirectory(dir), new BundleSigner(Keys.generate()), clock,
        Duration.ofDays(7));
    var status = FleetStatus.starting(NOW);
    routes = new ApiRoutes(new ApiRoutes.Fleet(() -> null, () -> status, publisher, board, () -> { }),
        new ReconcilerMetrics(), new Callers("op-token", List.of()), clock, null);
    routes.history(history);
    history.record(event(1, "kiosk-1", EventKind.OFFLINE));
    history.record(event(2, "kiosk-2", EventKind.OFFLINE));
    history.record(event(3, "kiosk-1", EventKind.ONLINE));
  }

  static HistoryEvent event(int minute, String device, EventKind kind) {
    return new HistoryEvent(NOW.plusSeconds(60L * minute), "acme", device, kind, null,
        JsonNodeFactory.instance.objectNode().put("n", minute));
  }

  FakeExchange get(String path, boolean operator) {
    var exchange = new FakeExchange("GET", path);
    if (operator) {
      exchange.header("Authorization", "Bearer op-token");
    }
    routes.handle(exchange);
    return exchange;
  }

  @Test
  void answersTheSelectedEventsNewestFirstAsJson() {
    var exchange = get("/v1/history?device=kiosk-1&since=2026-12-07T12:00:30Z", true);

    assertThat(exchange.getResponseCode()).isEqualTo(200);
    assertThat(exchange.responseText()).isEqualTo("[{\"at\":\"2026-12-07T12:03:00Z\",\"tenant\":\"acme\","
        + "\"device\":\"kiosk-1\",\"kind\":\"online\",\"commit\":null,\"detail\":{\"n\":3}},"
        + "{\"at\":\"2026-12-07T12:01:00Z\",\"tenant\":\"acme\",\"device\":\"kiosk-1\",\"kind\":\"offline\","
        + "\"commit\":null,\"detail\":{\"n\":1}}]");
    assertThat(get("/v1/history?kind=offline&limit=1", true).responseText()).contains("kiosk-2")
        .doesNotContain("kiosk-1");
  }

  @Test
  void refusesCallersWithoutTheOperatorToken() {
    var exchange = get("/v1/history", false);

    assertThat(exchange.getResponseCode()).isEqualTo(401);
    assertThat(exchange.responseText()).startsWith("read history: operator token required");
  }

  @Test
  void namesTheBadParameter() {
    assertThat(get("/v1/history?kind=offline,reboot", true).responseText())
        .startsWith("read history: unknown kind 'reboot'; use one of receipt, offline");
    assertThat(get("/v1/history?limit=0", true).responseText())
        .isEqualTo("read history: limit 0 is not between 1 and 10000\n");
    assertThat(get("/v1/history?since=yesterday", true).getResponseCode()).isEqualTo(400);
    assertThat(get("/v1/history?devices=kiosk-1", true).responseText())
        .isEqualTo("read history: unknown parameter 'devices'; use device, kind, limit, since, tenant, until\n");
  }

  @Test
  void describesTheLastReportItsFailingResourcesAndRecentHistoryOfADevice() {
    var report = new StatusReport();
    report.setDevice("kiosk-1");
    report.setResources(List.of(resource("/etc/motd", true, null), resource("kiosk-ui.service", false,
        "unit failed: exit-code 3")));
    board.put("kiosk-1", report, NOW);

    var exchange = get("/v1/devices/kiosk-1", true);

    assertThat(exchange.getResponseCode()).isEqualTo(200);
    assertThat(exchange.responseText()).contains("\"receivedAt\":\"2026-12-07T12:00:00Z\"")
        .contains("\"failing\":[{\"kind\":\"unit\",\"name\":\"kiosk-ui.service\","
            + "\"message\":\"unit failed: exit-code 3\"}]")
        .contains("\"history\":[{\"at\":\"2026-12-07T12:03:00Z\"");
    assertThat(get("/v1/devices/ghost", true).getResponseCode()).isEqualTo(404);
    assertThat(get("/v1/devices/kiosk-1", false).getResponseCode()).isEqualTo(401);
  }

  private static ResourceStatus resource(String name, boolean compliant, String message) {
    var resource = new ResourceStatus();
    resource.setKind(name.endsWith(".service") ? "unit" : "file");
    resource.setName(name);
    resource.setCompliant(compliant);
    resource.setMessage(message);
    return resource;
  }
}
