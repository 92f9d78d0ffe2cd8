package dev.flotilla.bench;

import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.model.Condition;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.StatusReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark (bench/README.md, "Series"): how many Prometheus series a reconciler exports for a fleet, every claimed
 * device having reported (two agent versions among them). One real pass over FLEET, a status report per device put
 * on the board, then one scrape of {@code /metrics}, counted by metric family. Run by
 * {@code bench/live.sh series FLEET}.
 */
final class SeriesBench {
  private SeriesBench() {}

  public static void main(String[] args) throws Exception {
    var work = Files.createTempDirectory("flotilla-bench-series-");
    try (var live = new LiveFleet(Path.of(args[0]), work)) {
      live.commit("bench: initial");
      live.startReconciler(Duration.ofHours(1));
      var status = live.server.reconciler().reconcileOnce();
      if (!status.ready()) {
        throw new IllegalStateException("pass failed: " + status.reason() + ": " + status.message());
      }
      int devices = 0;
      for (var doc : live.server.reconciler().snapshot().devices()) {
        if (doc.resource().getSpec().getIdentity() != null) {
          var name = doc.resource().getMetadata().getName();
          live.server.statuses().put(name, report(name, devices++ % 10 == 0), Instant.now());
        }
      }
      var families = count(scrape(live));
      var total = families.values().stream().mapToInt(Integer::intValue).sum();
      System.out.printf("%d claimed devices, all reported: %d series in %d families%n", devices, total,
          families.size());
      families.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
          .forEach(f -> System.out.printf("  %7d  %s%n", f.getValue(), f.getKey()));
      System.out.printf("series per device: %.2f (device-labelled %d); the rest: %d%n",
          (double) total / devices, families.getOrDefault("flotilla_reconciler_device_last_seen_timestamp_seconds", 0),
          total - families.getOrDefault("flotilla_reconciler_device_last_seen_timestamp_seconds", 0));
    } finally {
      LiveBench.delete(work);
    }
  }

  static StatusReport report(String device, boolean older) {
    var report = new StatusReport();
    report.setDevice(device);
    report.setObservedAt(Instant.now().atOffset(ZoneOffset.UTC));
    report.setAgentVersion(older ? "flotilla-agent 0.1.0 (old)" : "flotilla-agent 0.2.0 (new)");
    var ready = new Condition();
    ready.setType("Ready");
    ready.setStatus(ConditionStatus.TRUE);
    ready.setReason("ApplySucceeded");
    report.setConditions(List.of(ready));
    return report;
  }

  static String scrape(LiveFleet live) throws Exception {
    var url = URI.create("http://127.0.0.1:" + live.server.metricsAddress().getPort() + "/metrics");
    try (var http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  /** Series (sample lines) by metric name, histogram buckets counted under the histogram's own name. */
  static Map<String, Integer> count(String exposition) {
    var out = new TreeMap<String, Integer>();
    for (var line : exposition.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        var end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
        out.merge(line.substring(0, end).replaceFirst("_(bucket|count|sum|created)$", ""), 1, Integer::sum);
      }
    }
    return out;
  }
}
