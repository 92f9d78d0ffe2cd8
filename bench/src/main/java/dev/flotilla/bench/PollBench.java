package dev.flotilla.bench;

import dev.flotilla.auth.RequestSignature;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.cli.fleet.DeviceFiles;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.PinnedCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (bench/README.md, "Polls"): every claimed device of a fleet gets a real key in its Device file; a real
 * reconciler serves the fleet over loopback TLS; then, for a bounded time, simulated devices poll their bundle
 * with {@code If-None-Match} of the bundle they hold and must get 304. Each device's request is signed once before
 * the clock starts (a signature stays valid for the allowed clock skew, so this is what a device that polls again
 * within minutes sends, and what the agent sends for a minute), so the number is the server's: TLS, routing,
 * signature check, ETag. A first pass polls every device once, so the server verifies each signature (and caches
 * it); the timed runs after it are repeat polls. The HTTP client keeps its {@code connections} TLS connections
 * alive across requests, as agents keep theirs open between long-polls. Run by
 * {@code bench/live.sh polls FLEET [SECONDS] [CONNECTIONS]}.
 */
final class PollBench {
  private PollBench() {}

  record Poll(URI uri, String etag, java.util.Map<String, String> headers) {}

  public static void main(String[] args) throws Exception {
    var fleet = Path.of(args[0]);
    var seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    var connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    var work = Files.createTempDirectory("flotilla-bench-polls-");
    try (var live = new LiveFleet(fleet, work)) {
      var keys = new java.util.HashMap<String, java.security.PrivateKey>();
      try (var files = Files.walk(live.repo.resolve("tenants"))) {
        for (var file : files.filter(f -> f.getParent().getFileName().toString().equals("devices")).toList()) {
          var pair = Keys.generate();
          Files.writeString(file, DeviceFiles.withPublicKey(Files.readString(file), Keys.publicPem(pair.getPublic())));
          keys.put(file.getFileName().toString().replace(".yaml", ""), pair.getPrivate());
        }
      }
      live.commit("bench: device keys");
      live.startReconciler(Duration.ofHours(1));
      var base = "https://127.0.0.1:" + live.server.address().getPort();
      var polls = new ArrayList<Poll>();
      var now = Instant.now();
      keys.forEach((device, key) -> {
        var published = live.server.reconciler().publisher().get(device);
        if (published != null) {
          var path = "/v1/devices/" + device + "/bundle";
          polls.add(new Poll(URI.create(base + path), published.etag(),
              RequestSignature.sign(key, device, "GET", path, new byte[0], now)));
        }
      });
      System.out.printf("%d devices with bundles; %d connections for %d s%n", polls.size(), connections, seconds);
      var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(PinnedCa.sslContext(live.server.serverCertificate())).build();
      run(http, polls, connections, Duration.ofMinutes(10), polls.size(), "first poll of each device (verify)");
      run(http, polls, connections, Duration.ofSeconds(Math.min(3, seconds)), Long.MAX_VALUE, "warm-up");
      run(http, polls, connections, Duration.ofSeconds(seconds), Long.MAX_VALUE, "measured (repeat polls)");
    } finally {
      LiveBench.delete(work);
    }
  }

  /** Polls round-robin from {@code connections} threads for {@code length} or {@code requests}, whichever first. */
  private static void run(HttpClient http, List<Poll> polls, int connections, Duration length, long requests,
      String label) throws Exception {
    var next = new AtomicLong();
    var notModified = new AtomicLong();
    var other = new AtomicLong();
    var started = System.nanoTime();
    var deadline = started + length.toNanos();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < connections; c++) {
        pool.submit(() -> {
          for (long i = next.getAndIncrement(); i < requests && System.nanoTime() < deadline; i = next.getAndIncrement()) {
            var poll = polls.get((int) (i % polls.size()));
            var request = HttpRequest.newBuilder(poll.uri()).header("If-None-Match", poll.etag()).GET();
            poll.headers().forEach(request::header);
            var code = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            (code == 304 ? notModified : other).incrementAndGet();
          }
          return null;
        });
      }
    }
    var elapsed = (System.nanoTime() - started) / 1e9;
    System.out.printf("%s: %d answers 304, %d other, in %.1f s: %.0f requests/s; load average %.1f%n", label,
        notModified.get(), other.get(), elapsed, (notModified.get() + other.get()) / elapsed,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (other.get() > 0) {
      throw new IllegalStateException(other.get() + " polls were not answered 304");
    }
  }
}
