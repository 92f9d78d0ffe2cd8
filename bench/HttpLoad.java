import dev.flotilla.auth.RequestSignature;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.PinnedCa;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The client side of bench/http-load.sh: CONCURRENCY workers each send unauthenticated 1 MiB POSTs over TLS on
 * loopback (every body fully offered, the answer read), TOTAL requests in all or until SECONDS pass, rotating over
 * four kinds: a status report for an unknown device, one for the enrolled device with a bad signature and a fresh
 * date (passes every header check: the worst case), a claim declaring 1 MiB, and a chunked claim. Meanwhile it sends
 * a legitimately signed bundle GET for the enrolled device every 250 ms and samples the server's RSS every 100 ms.
 *
 *   java -cp CLASSPATH bench/HttpLoad.java READY_FILE SERVER_PID [CONCURRENCY] [TOTAL] [SECONDS]
 */
public class HttpLoad {
  static final byte[] MIB = new byte[1 << 20];
  static final String[] KINDS = {"unknown-device status", "bad-signature status", "1 MiB claim", "chunked claim"};

  public static void main(String[] args) throws Exception {
    var ready = new Properties();
    try (var in = Files.newInputStream(Path.of(args[0]))) {
      ready.load(in);
    }
    long pid = Long.parseLong(args[1]);
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int total = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
    var limit = Duration.ofSeconds(args.length > 4 ? Integer.parseInt(args[4]) : 60);
    int port = Integer.parseInt(ready.getProperty("port"));
    var tls = PinnedCa.sslContext(Path.of(ready.getProperty("certificate")));
    var device = ready.getProperty("device");
    var key = Keys.readPrivate(Path.of(ready.getProperty("key")));

    long idle = rss(pid);
    var legit = Collections.synchronizedList(new ArrayList<Long>());
    var codes = new ConcurrentHashMap<String, AtomicInteger>();
    var peak = new AtomicLong(idle);
    var sent = new AtomicInteger();
    var deadline = System.nanoTime() + limit.toNanos();
    System.out.printf("idle RSS %.1f MB; %d workers, %d requests or %d s%n", idle / 1e6, concurrency, total,
        limit.toSeconds());
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var sampler = pool.submit(() -> sample(pid, peak, deadline));
      var prober = pool.submit(() -> probe(tls, port, device, key, legit, deadline));
      var workers = new ArrayList<java.util.concurrent.Future<?>>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          for (int n; (n = sent.getAndIncrement()) < total && System.nanoTime() < deadline; ) {
            var kind = KINDS[n % KINDS.length];
            codes.computeIfAbsent(kind + " " + attack(tls, port, device, n), k -> new AtomicInteger()).incrementAndGet();
          }
          return null;
        }));
      }
      for (var worker : workers) {
        worker.get();
      }
      System.out.printf("load done: %d requests%n", Math.min(sent.get(), total));
      prober.cancel(true);
      sampler.cancel(true);
    }
    codes.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> System.out.printf("  %-32s %6d%n", e.getKey(), e.getValue().get()));
    Collections.sort(legit);
    long after = rss(pid);
    System.out.printf("RSS: idle %.1f MB, peak %.1f MB (+%.1f MB), after %.1f MB%n", idle / 1e6, peak.get() / 1e6,
        (peak.get() - idle) / 1e6, after / 1e6);
    if (legit.isEmpty()) {
      System.out.println("legitimate requests: none answered");
      System.exit(1);
    }
    System.out.printf("legitimate signed GETs during the load: %d, median %d ms, max %d ms%n", legit.size(),
        legit.get(legit.size() / 2), legit.getLast());
  }

  /** One unauthenticated request of kind n % 4; returns the status code, or the exception's simple name. */
  static String attack(SSLContext tls, int port, String device, int n) {
    var now = Instant.now();
    try (var socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      String head;
      switch (n % 4) {
        case 0 -> head = post("/v1/devices/no-such-device/status", "Content-Length: " + MIB.length,
            RequestSignature.sign(BAD_KEY, "no-such-device", "POST", "/v1/devices/no-such-device/status", MIB, now));
        case 1 -> head = post("/v1/devices/" + device + "/status", "Content-Length: " + MIB.length,
            RequestSignature.sign(BAD_KEY, device, "POST", "/v1/devices/" + device + "/status", MIB, now));
        case 2 -> head = post("/v1/claims", "Content-Length: " + MIB.length,
            RequestSignature.sign(BAD_KEY, "claim", "POST", "/v1/claims", MIB, now));
        default -> head = post("/v1/claims", "Transfer-Encoding: chunked",
            RequestSignature.sign(BAD_KEY, "claim", "POST", "/v1/claims", MIB, now));
      }
      var out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      boolean chunked = n % 4 == 3;
      try {
        for (int off = 0; off < MIB.length; off += 16384) {
          if (chunked) {
            out.write("4000\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          out.write(MIB, off, 16384);
          if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        }
        if (chunked) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (java.io.IOException refusedEarly) {
        // the server answered and closed before taking the whole body: read its answer below
      }
      return statusCode(socket.getInputStream());
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  static final PrivateKey BAD_KEY = Keys.generate().getPrivate();

  static String post(String path, String framing, Map<String, String> headers) {
    var head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing + "\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    return head.append("Connection: close\r\n\r\n").toString();
  }

  static String statusCode(InputStream in) throws java.io.IOException {
    var line = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      line.append((char) c);
    }
    var parts = line.toString().split(" ");
    return parts.length > 1 ? parts[1] : "no-answer";
  }

  /** A signed GET of the device's own bundle every 250 ms, on a new connection each time; records its time. */
  static Void probe(SSLContext tls, int port, String device, PrivateKey key, List<Long> times, long deadline)
      throws Exception {
    var path = "/v1/devices/" + device + "/bundle";
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      long start = System.nanoTime();
      try (var socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setSoTimeout(30_000);
        var head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        RequestSignature.sign(key, device, "GET", path, new byte[0], Instant.now())
            .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        var code = statusCode(socket.getInputStream());
        if (!code.equals("200")) {
          throw new IllegalStateException("legitimate request answered " + code);
        }
        socket.getInputStream().readAllBytes();
        times.add((System.nanoTime() - start) / 1_000_000);
      }
      Thread.sleep(250);
    }
    return null;
  }

  static Void sample(long pid, AtomicLong peak, long deadline) throws Exception {
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      peak.accumulateAndGet(rss(pid), Math::max);
      Thread.sleep(100);
    }
    return null;
  }

  static long rss(long pid) throws java.io.IOException {
    for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
