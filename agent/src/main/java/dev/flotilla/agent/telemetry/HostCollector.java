package dev.flotilla.agent.telemetry;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The host's telemetry as Prometheus metrics ({@code flotilla_host_*}), read from the host at each scrape, so a
 * device that is not scraped pays nothing. A failed read yields no host metrics for that scrape and one log line.
 */
public final class HostCollector implements MultiCollector {
  private final HostReader reader;
  private final Consumer<String> log;

  public HostCollector(HostReader reader, Consumer<String> log) {
    this.reader = reader;
    this.log = log;
  }

  @Override
  public MetricSnapshots collect() {
    try {
      return snapshots(reader.read());
    } catch (IOException e) {
      log.accept(e.getMessage());
      return MetricSnapshots.of();
    }
  }

  /** The metrics of one sample. Pure. */
  static MetricSnapshots snapshots(HostSample sample) {
    var out = MetricSnapshots.builder();
    var cpu = CounterSnapshot.builder().name("flotilla_host_cpu_seconds")
        .help("CPU time since boot by mode, all CPUs together");
    sample.cpuSeconds().forEach((mode, seconds) -> cpu.dataPoint(counter(Labels.of("mode", mode), seconds)));
    out.metricSnapshot(cpu.build());
    out.metricSnapshot(gauge("flotilla_host_memory_total_bytes", "Memory in all", sample.memory().totalBytes()));
    out.metricSnapshot(gauge("flotilla_host_memory_available_bytes",
        "Memory available to new work without swapping (MemAvailable)", sample.memory().availableBytes()));
    out.metricSnapshot(gauge("flotilla_host_load1", "Load average over 1 minute", sample.load()[0]));
    out.metricSnapshot(gauge("flotilla_host_load5", "Load average over 5 minutes", sample.load()[1]));
    out.metricSnapshot(gauge("flotilla_host_load15", "Load average over 15 minutes", sample.load()[2]));
    var stalled = CounterSnapshot.builder().name("flotilla_host_pressure_stalled_seconds")
        .help("Time some task stalled waiting for the resource (PSI 'some' total); absent without PSI");
    sample.pressure().forEach((resource, p) -> stalled.dataPoint(counter(Labels.of("resource", resource),
        p.totalSeconds())));
    out.metricSnapshot(stalled.build());
    var temperature = GaugeSnapshot.builder().name("flotilla_host_temperature_celsius")
        .help("Temperature of each thermal zone");
    sample.thermal().forEach(t -> temperature.dataPoint(point(Labels.of("zone", t.zone(), "type", t.type()),
        t.celsius())));
    out.metricSnapshot(temperature.build());
    out.metricSnapshot(gauge("flotilla_host_uptime_seconds", "Seconds since the host booted", sample.uptimeSeconds()));
    out.metricSnapshot(gauge("flotilla_host_boot_time_seconds", "When the host booted, seconds since the epoch",
        sample.bootTime()));
    if (sample.oomKills() != null) {
      out.metricSnapshot(CounterSnapshot.builder().name("flotilla_host_oom_kills")
          .help("Processes the kernel killed for lack of memory since boot (oom_kill of /proc/vmstat)")
          .dataPoint(counter(Labels.EMPTY, sample.oomKills())).build());
    }
    filesystems(sample, out);
    return out.build();
  }

  private static void filesystems(HostSample sample, MetricSnapshots.Builder out) {
    var size = GaugeSnapshot.builder().name("flotilla_host_filesystem_size_bytes")
        .help("Size of each writable real filesystem");
    var avail = GaugeSnapshot.builder().name("flotilla_host_filesystem_avail_bytes")
        .help("Space left to unprivileged users on each writable real filesystem");
    for (var fs : sample.filesystems()) {
      var labels = Labels.of("mountpoint", fs.mountPoint(), "device", fs.device(), "fstype", fs.type());
      size.dataPoint(point(labels, fs.sizeBytes()));
      avail.dataPoint(point(labels, fs.availableBytes()));
    }
    out.metricSnapshot(size.build()).metricSnapshot(avail.build());
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder().name(name).help(help).dataPoint(point(Labels.EMPTY, value)).build();
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static CounterDataPointSnapshot counter(Labels labels, double value) {
    return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
