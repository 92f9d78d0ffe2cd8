package dev.flotilla.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The host's metrics as Prometheus reads them, from the fixture tree. */
class HostCollectorTest {
  static String exposition(PrometheusRegistry registry) throws IOException {
    var out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exportsEveryPartOfTheHost() throws IOException {
    var registry = new PrometheusRegistry();
    registry.register(new HostCollector(new HostReader(HostReaderTest.FIXTURE.resolve("proc"),
        HostReaderTest.FIXTURE.resolve("sys"), HostReaderTest.DISKS), line -> { }));

    assertThat(exposition(registry))
        .contains("flotilla_host_cpu_seconds_total{mode=\"user\"} 15124.12\n")
        .contains("flotilla_host_memory_total_bytes 2.5276182528E10\n")
        .contains("flotilla_host_load1 4.94\n", "flotilla_host_load15 2.05\n")
        .contains("flotilla_host_pressure_stalled_seconds_total{resource=\"cpu\"} 7086.020248\n")
        .contains("flotilla_host_temperature_celsius{type=\"x86_pkg_temp\",zone=\"thermal_zone0\"} 47.0\n")
        .contains("flotilla_host_uptime_seconds 10673.91\n", "flotilla_host_boot_time_seconds 1.796676362E9\n")
        .contains("flotilla_host_oom_kills_total 0.0\n")
        .contains("flotilla_host_filesystem_avail_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 250.0\n")
        .contains("flotilla_host_filesystem_size_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 1000.0\n");
  }

  @Test
  void exportsNoHostMetricsAndSaysWhyWhenTheHostCannotBeRead() throws IOException {
    var log = new ArrayList<String>();
    var registry = new PrometheusRegistry();
    registry.register(new HostCollector(new HostReader(java.nio.file.Path.of("/nonexistent-proc"),
        java.nio.file.Path.of("/nonexistent-sys"), HostReaderTest.DISKS), log::add));

    assertThat(exposition(registry)).doesNotContain("flotilla_host_");
    assertThat(log).singleElement().asString().contains("/nonexistent-proc");
  }
}
