package dev.flotilla.bench;

import dev.flotilla.agent.telemetry.DiskSpace;
import dev.flotilla.agent.telemetry.HostCollector;
import dev.flotilla.agent.telemetry.HostReader;
import dev.flotilla.agent.telemetry.HostReports;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Benchmark (bench/README.md, "Telemetry"): what the agent's host telemetry costs on this machine. Times N reads of
 * /proc and /sys as a scrape makes them (read and build the metrics) and as a status report does (read, round,
 * compare), in CPU time of the reading thread and bytes allocated, after a warm-up; and the resident memory and
 * heap the telemetry keeps. Run by {@code bench/live.sh telemetry [N]}.
 */
final class TelemetryBench {
  private TelemetryBench() {}

  public static void main(String[] args) throws Exception {
    var n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    var rssBefore = rssKb();
    var heapBefore = heapAfterGc();
    var reader = new HostReader(Path.of("/proc"), Path.of("/sys"), DiskSpace.under(Path.of("/")));
    var collector = new HostCollector(reader, System.err::println);
    var reports = new HostReports(reader, System.err::println);
    var start = Instant.parse("2026-01-01T00:00:00Z");
    run(n / 4, collector, reports, start); // warm-up
    var scrape = measure(n, () -> collector.collect());
    var minute = new long[] {0};
    var report = measure(n, () -> reports.due(start.plusSeconds(60 * ++minute[0])));
    System.out.printf("scrape (read + metrics): %.0f us CPU, %.1f KB allocated per scrape%n", scrape[0], scrape[1]);
    System.out.printf("status report summary:   %.0f us CPU, %.1f KB allocated per minute%n", report[0], report[1]);
    System.out.printf("kept: %+.1f MB resident, %+.1f KB heap after GC (all telemetry classes loaded)%n",
        (rssKb() - rssBefore) / 1024.0, (heapAfterGc() - heapBefore) / 1024.0);
    System.out.printf("at one scrape every 15 s and one summary a minute: %.3f%% of one CPU%n",
        (scrape[0] * 4 + report[0]) / 60e6 * 100);
  }

  private static void run(int n, HostCollector collector, HostReports reports, Instant start) {
    for (int i = 0; i < n; i++) {
      collector.collect();
      reports.due(start.plusSeconds(60L * i));
    }
  }

  /** Microseconds of CPU and kilobytes allocated per call of {@code step}, averaged over {@code n} calls. */
  private static double[] measure(int n, Runnable step) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var id = Thread.currentThread().threadId();
    var cpu = threads.getCurrentThreadCpuTime();
    var bytes = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < n; i++) {
      step.run();
    }
    return new double[] {(threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n,
        (threads.getThreadAllocatedBytes(id) - bytes) / 1024.0 / n};
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long rssKb() throws Exception {
    for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
