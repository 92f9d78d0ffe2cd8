package dev.flotilla.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.TestDevice;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent's metrics, scraped over HTTP from loopback and linted by Prometheus' own {@code promtool}. */
public class MetricsEndpointIT {
  @TempDir
  Path dir;

  @Test
  void servesEveryAgentMetricInAFormatPromtoolAccepts() throws Exception {
    var device = new TestDevice(dir);
    device.procKey("vm.swappiness", "60");
    try (var agent = device.agent();
        var server = MetricsServer.start("127.0.0.1:0", device.metrics.registry())) {
      agent.applyFile(device.signed(TestDevice.payload(3, Map.of("/etc/motd", "hi\n"), Map.of("vm.swappiness", "10"))));
      Files.writeString(device.host.resolve("etc/motd"), "tampered\n");
      agent.correct();
      agent.applyFile("not a bundle".getBytes(StandardCharsets.UTF_8));
      device.metrics.app("kiosk-ui", "1.4.0");
      device.metrics.app("kiosk-ui", "1.5.0");

      var body = scrape(server);

      assertThat(body)
          .contains("flotilla_agent_resource_compliant{kind=\"file\",name=\"/etc/motd\"} 1.0")
          .contains("flotilla_agent_resource_compliant{kind=\"sysctl\",name=\"vm.swappiness\"} 1.0")
          .contains("flotilla_agent_drift_events_total{kind=\"file\",mode=\"enforce\"} 1.0")
          .contains("flotilla_agent_bundle_version 3.0")
          .contains("flotilla_agent_last_apply_timestamp_seconds ")
          .contains("flotilla_agent_apply_duration_seconds_count 2")
          .contains("flotilla_agent_app_info{name=\"kiosk-ui\",version=\"1.5.0\"} 1")
          .doesNotContain("version=\"1.4.0\"")
          .containsPattern("flotilla_agent_bundles_refused_total\\{reason=\"[A-Za-z]+\"} 1.0")
          .contains("flotilla_build_info{commit=\"" + dev.flotilla.build.BuildInfo.current().commit() + "\",version=\""
              + dev.flotilla.build.BuildInfo.current().version() + "\"} 1");
      assertThat(promtool(body)).isEqualTo("exit 0: ");
    }
  }

  @Test
  void refusesAnAddressInUseWithTheSettingToChange() throws IOException {
    try (var first = MetricsServer.start("127.0.0.1:0", new AgentMetrics().registry())) {
      var taken = "127.0.0.1:" + first.address().getPort();
      assertThatThrownBy(() -> MetricsServer.start(taken, new AgentMetrics().registry()))
          .hasMessageStartingWith("serve metrics on '" + taken + "': ")
          .hasMessageEndingWith("; set another 'metrics.listen' in the agent config, or 'metrics.enabled: false'");
    }
  }

  private static String scrape(MetricsServer server) throws IOException, InterruptedException {
    var uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
    try (var http = HttpClient.newHttpClient()) {
      var response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      return response.body();
    }
  }

  /** Runs {@code promtool check metrics} (Debian package prometheus) on {@code exposition}. */
  public static String promtool(String exposition) throws IOException, InterruptedException {
    var process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return "exit " + process.waitFor() + ": " + output;
  }
}
