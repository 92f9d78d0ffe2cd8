package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler's real /metrics output, serving the template fleet with its rollout: {@code promtool check
 * metrics} accepts it, and a real Prometheus (the Debian package) scrapes it from the metrics listener (plain HTTP
 * on loopback, apart from the device listener) and answers a query for the rollout's phase through its HTTP API.
 */
class ReconcilerMetricsIT {
  static final String PHASE_QUERY = "flotilla_rollout_phase{rollout=\"kiosk-ui-1-5\",phase=\"Progressing\"}";
  @TempDir
  Path work;
  LiveFleet fleet;
  Process prometheus;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of("kiosk-berlin-01-a", "kiosk-berlin-01-b", "kiosk-berlin-02-a"));
    fleet.commit("Enrol three kiosks");
    fleet.startReconciler(Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor();
      }
    }
    fleet.close();
  }

  String metrics() throws Exception {
    var url = URI.create("http://127.0.0.1:" + fleet.server.metricsAddress().getPort() + "/metrics");
    try (var http = HttpClient.newHttpClient()) {
      var response = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return response.body();
    }
  }

  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    var text = metrics();
    assertThat(text).contains("flotilla_build_info{commit=\"" + dev.flotilla.build.BuildInfo.current().commit()
        + "\",version=\"" + dev.flotilla.build.BuildInfo.current().version() + "\"} 1");
    assertThat(text).contains("flotilla_rollout_phase{", "flotilla_rollout_wave_devices{",
        "flotilla_rollout_failure_ratio{", "flotilla_reconciler_fleet_devices{",
        "flotilla_reconciler_render_duration_seconds", "flotilla_reconciler_bundles_signed_total");
    var promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = promtool.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    var output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor()).as("promtool check metrics: " + output).isZero();
  }

  @Test
  void prometheusScrapesTheRolloutPhase() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var config = work.resolve("prometheus.yml");
    Files.writeString(config, """
        global: { scrape_interval: 1s, evaluation_interval: 1s }
        scrape_configs:
          - job_name: flotilla
            static_configs: [ { targets: ['127.0.0.1:%d'] } ]
        """.formatted(fleet.server.metricsAddress().getPort()));
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();

    var url = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(PHASE_QUERY, StandardCharsets.UTF_8));
    String value = null;
    try (var http = HttpClient.newHttpClient()) {
      for (long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
          value == null && System.nanoTime() < deadline; Thread.sleep(500)) {
        value = queryValue(http, url);
      }
    }
    assertThat(value).as("query result; log: " + Files.readString(work.resolve("prometheus.log"))).isEqualTo("1");
  }

  static String queryValue(HttpClient http, URI url) throws InterruptedException {
    try {
      var response = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      var result = new ObjectMapper().readTree(response.body()).path("data").path("result");
      return result.isEmpty() ? null : result.get(0).path("value").get(1).asText();
    } catch (java.io.IOException e) {
      return null; // not listening yet
    }
  }
}
