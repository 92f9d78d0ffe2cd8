package dev.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.model.Condition;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.trust.PinnedCa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (bench/README.md, "Status board"): a real reconciler serves FLEET over loopback TLS; every device has a
 * report (one in twenty failing) and the history holds 10,000 events of the last hour. Then: the time to answer
 * GET /ui/ (the fleet page) and GET /ui/devices/{name} (random devices) over HTTPS with the operator token, after
 * 20 warm-up requests, and the time from a report that changes a device's state, and from a recorded receipt, to
 * its event on an open /ui/events stream. Run by {@code bench/live.sh board FLEET [RUNS]}.
 */
final class BoardBench {
  private BoardBench() {}

  public static void main(String[] args) throws Exception {
    var fleet = Path.of(args[0]);
    var runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    var work = Files.createTempDirectory("flotilla-bench-board-");
    try (var live = new LiveFleet(fleet, work)) {
      live.commit("Fleet");
      live.startReconciler(Duration.ofMinutes(10), "bench-token");
      var names = report(live);
      history(live, names);
      var http = HttpClient.newBuilder().sslContext(PinnedCa.sslContext(live.server.serverCertificate())).build();
      var base = "https://127.0.0.1:" + live.server.address().getPort();
      print("fleet page GET /ui/", time(http, i -> base + "/ui/", runs));
      var random = new java.util.Random(7);
      print("device page GET /ui/devices/{name}", time(http, i -> base + "/ui/devices/"
          + names.get(random.nextInt(names.size())), runs));
      events(live, http, base, names, Math.min(runs, 30));
    } finally {
      LiveBench.delete(work);
    }
  }

  /** A report for every device, Ready at the version served to it; one in twenty failing. */
  static List<String> report(LiveFleet live) {
    var names = new ArrayList<>(live.server.reconciler().publisher().all().keySet());
    java.util.Collections.sort(names);
    for (int i = 0; i < names.size(); i++) {
      live.server.statuses().put(names.get(i), status(live, names.get(i), i % 20 != 0), Instant.now());
    }
    System.out.printf("%d devices reported%n", names.size());
    return names;
  }

  static StatusReport status(LiveFleet live, String device, boolean ready) {
    var report = new StatusReport();
    report.setDevice(device);
    report.setBundleVersion(live.served(device));
    report.setObservedAt(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
    var condition = new Condition();
    condition.setType("Ready");
    condition.setStatus(ready ? ConditionStatus.TRUE : ConditionStatus.FALSE);
    condition.setReason(ready ? "ApplySucceeded" : "HealthCheckFailed");
    report.setConditions(new ArrayList<>(List.of(condition)));
    return report;
  }

  static void history(LiveFleet live, List<String> names) {
    var json = new ObjectMapper();
    var start = Instant.now().minus(Duration.ofHours(1));
    var tenants = live.server.reconciler().publisher().all();
    for (int i = 0; i < 10_000; i++) {
      var device = names.get(i % names.size());
      live.server.history().record(new HistoryEvent(start.plusMillis(i * 360L), tenants.get(device).tenant(), device,
          EventKind.RECEIPT, "0".repeat(40), json.createObjectNode().put("outcome", "applied")));
    }
  }

  static List<Double> time(HttpClient http, java.util.function.IntFunction<String> url, int runs) throws Exception {
    for (int i = 0; i < 20; i++) {
      get(http, url.apply(i));
    }
    var millis = new ArrayList<Double>();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean();
    var cpu = os.getProcessCpuTime();
    for (int i = 0; i < runs; i++) {
      var started = System.nanoTime();
      var bytes = get(http, url.apply(i));
      millis.add((System.nanoTime() - started) / 1e6);
      if (i == 0) {
        System.out.printf("  %s: %d bytes%n", url.apply(i).replaceAll("https://[^/]+", ""), bytes);
      }
    }
    // CPU of the whole process (server and client) per request: what the wall time is once the machine is idle
    System.out.printf("  CPU %.2f ms per request%n", (os.getProcessCpuTime() - cpu) / 1e6 / runs);
    millis.sort(null);
    return millis;
  }

  static int get(HttpClient http, String url) throws Exception {
    var response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer bench-token")
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + ": " + response.statusCode());
    }
    return response.body().length;
  }

  /** From a report turning a device failing, and from a recorded receipt, to the event on an open stream. */
  static void events(LiveFleet live, HttpClient http, String base, List<String> names, int runs) throws Exception {
    var lines = new LinkedBlockingQueue<String>();
    var stream = HttpClient.newBuilder().sslContext(PinnedCa.sslContext(live.server.serverCertificate())).build();
    var body = stream.send(HttpRequest.newBuilder(URI.create(base + "/ui/events"))
        .header("Authorization", "Bearer bench-token").build(), HttpResponse.BodyHandlers.ofInputStream()).body();
    Thread.ofVirtual().start(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        reader.lines().forEach(lines::add);
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        // closed at the end
      }
    });
    while (!": connected".equals(lines.poll(5, TimeUnit.SECONDS))) {
      // wait for the stream to open
    }
    var report = new ArrayList<Double>();
    var receipt = new ArrayList<Double>();
    var json = new ObjectMapper();
    for (int i = 0; i < runs; i++) {
      var index = 1 + i * 7 % (names.size() - 1);
      var device = names.get(index);
      var started = System.nanoTime();
      // the opposite of what report() gave it, so that its state changes
      live.server.statuses().put(device, status(live, device, index % 20 == 0), Instant.now());
      report.add(await(lines, "\"name\":\"" + device + "\"", started));
      started = System.nanoTime();
      live.server.history().record(new HistoryEvent(Instant.now(), live.server.reconciler().publisher().get(device)
          .tenant(), device, EventKind.RECEIPT, "0".repeat(40), json.createObjectNode().put("outcome", "applied")));
      receipt.add(await(lines, "\"device\":\"" + device + "\"", started));
    }
    body.close();
    report.sort(null);
    receipt.sort(null);
    print("report -> device event on /ui/events", report);
    print("receipt -> history event on /ui/events", receipt);
  }

  static double await(LinkedBlockingQueue<String> lines, String marker, long started) throws InterruptedException {
    var seen = new ArrayList<String>();
    while (true) {
      var line = lines.poll(5, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException("no event with " + marker + " within 5 s; got " + seen);
      }
      seen.add(line);
      if (line.contains(marker)) {
        return (System.nanoTime() - started) / 1e6;
      }
    }
  }

  static void print(String what, List<Double> sorted) {
    System.out.printf("%-40s median %7.2f ms  p95 %7.2f ms  max %7.2f ms  (n=%d)%n", what,
        LiveBench.percentile(sorted, 50), LiveBench.percentile(sorted, 95), sorted.getLast(), sorted.size());
  }
}
