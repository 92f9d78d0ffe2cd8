package dev.flotilla.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.metrics.MetricsEndpointIT;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * This machine's own /proc and /sys, read as an agent on it would, and the whole agent exposition (its metrics,
 * the JVM's and the process's, and the host's) linted by Prometheus' {@code promtool check metrics}.
 */
class HostTelemetryIT {
  @Test
  void readsThisMachineAndPromtoolAcceptsTheExposition() throws Exception {
    var log = new ArrayList<String>();
    var reader = new HostReader(Path.of("/proc"), Path.of("/sys"), DiskSpace.under(Path.of("/")));
    var sample = reader.read();
    var metrics = new AgentMetrics();
    metrics.registry().register(new HostCollector(reader, log::add));

    var text = HostCollectorTest.exposition(metrics.registry());

    assertThat(sample.memory().totalBytes()).isPositive();
    assertThat(sample.cpuSeconds()).containsKeys("user", "idle");
    assertThat(sample.filesystems()).extracting(HostSample.Filesystem::mountPoint).contains("/");
    assertThat(text).contains("flotilla_host_filesystem_avail_bytes{", "jvm_memory_used_bytes{",
        "process_cpu_seconds_total ", "process_resident_memory_bytes ", "flotilla_build_info{");
    assertThat(log).isEmpty();
    assertThat(MetricsEndpointIT.promtool(text)).isEqualTo("exit 0: ");
  }
}
