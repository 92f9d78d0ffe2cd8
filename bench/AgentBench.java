import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.DriftTiming;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.KeyRole;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * Steady-state cost of flotilla-agent with 200 managed resources (100 files, 100 sysctl keys), run through the
 * real launcher against a sandbox host root, a procfs directory and a minimal long-poll HTTPS server (304 after the wait,
 * as the reconciler answers when nothing changed). Prints RSS, idle CPU over a window, and file drift detection
 * and correction latency. Usage: see bench/README.md (bench/agent.sh).
 */
public final class AgentBench {
  static final int FILES = 100;
  static final int KEYS = 100;
  static final LinkedBlockingQueue<Line> LINES = new LinkedBlockingQueue<>();

  record Line(long nanos, String text) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    var launcher = Path.of(args[0]);
    var out = Path.of(args[1]);
    var idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    var rounds = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    deleteTree(out);
    var host = Files.createDirectories(out.resolve("host"));
    var proc = Files.createDirectories(out.resolve("proc"));
    Files.createDirectories(host.resolve("etc"));
    Files.writeString(host.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    for (int i = 0; i < KEYS; i++) {
      var key = proc.resolve("sys/net/bench/k" + i);
      Files.createDirectories(key.getParent());
      Files.writeString(key, "0\n");
    }
    var identity = new IdentityReader(host, proc).read().getIdentityHash();
    var root = Keys.generate();
    var signer = Keys.generate();
    var deviceKey = Keys.generate();
    Files.write(out.resolve("root.json"), TrustRoots.toJson(TrustRoots.sign(TrustRoots.body("bench", 1,
        Instant.now().plus(Duration.ofDays(30)), Map.of(KeyRole.ROOT, List.of(root.getPublic()),
            KeyRole.BUNDLE_SIGNER, List.of(signer.getPublic())), Map.of()), List.of(root))));
    Keys.writePrivate(out.resolve("device.key"), deviceKey.getPrivate());
    var bundle = new BundleSigner(signer).sign(BundlePayloads.encode(payload(identity)));
    var server = server(bundle, out);
    var bus = startBus(out);
    var systemd = standInSystemd(out);
    Files.writeString(out.resolve("agent.yaml"), String.join("\n",
        "server: https://127.0.0.1:" + server.getAddress().getPort(), "serverCa: " + out.resolve("server.pem"), "device: bench-1",
        "privateKey: " + out.resolve("device.key"), "trustRoot: " + out.resolve("root.json"),
        "stateDir: " + out.resolve("state"), "hostRoot: " + host, "procRoot: " + proc,
        "dbusAddress: unix:path=" + out.resolve("bus"), "allowedPaths: [/etc/bench]", "metrics: { listen: '127.0.0.1:0' }", ""));

    var agent = new ProcessBuilder(launcher.toString(), "run", "-c", out.resolve("agent.yaml").toString())
        .redirectErrorStream(true).start();
    Runtime.getRuntime().addShutdownHook(new Thread(agent::destroy));
    Thread.ofPlatform().daemon().start(() -> read(agent));
    try {
      waitFor("version 1: Applied", 120);
      var pid = javaPid(agent);
      System.out.printf("agent pid %d applied %d files and %d sysctl keys%n", pid, FILES, KEYS);
      Thread.sleep(20_000); // let start-up compilation and GC settle
      System.out.printf("RSS after start-up: %.1f MB (%s)%n", status(pid, "VmRSS") / 1024.0, memory(pid));
      var cpu0 = cpuTicks(pid);
      var t0 = System.nanoTime();
      Thread.sleep(idleSeconds * 1000L);
      var cpu = (cpuTicks(pid) - cpu0) / (double) clockTicks() / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("idle CPU over %d s: %.3f%% of one core%n", idleSeconds, cpu * 100);
      drift(host, rounds);
      System.out.printf("RSS after drift rounds: %.1f MB (peak %.1f MB; %s)%n", status(pid, "VmRSS") / 1024.0,
          status(pid, "VmHWM") / 1024.0, memory(pid));
    } finally {
      agent.destroy();
      agent.waitFor(10, TimeUnit.SECONDS);
      agent.destroyForcibly();
      server.stop(0);
      systemd.close();
      bus.destroy();
    }
  }

  /** Just enough of systemd's Manager for the agent's connect (it subscribes); the bench declares no units. */
  @DBusInterfaceName("org.freedesktop.systemd1.Manager")
  public interface StandInManager extends DBusInterface {
    void Subscribe();
  }

  static ProcessHandle startBus(Path out) throws IOException, InterruptedException {
    var process = new ProcessBuilder("dbus-daemon", "--session", "--address=unix:path=" + out.resolve("bus"),
        "--print-pid=1", "--fork", "--nopidfile").redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0 || !output.matches("\\d+")) {
      throw new IOException("start dbus-daemon: " + output);
    }
    var daemon = ProcessHandle.of(Long.parseLong(output)).orElseThrow();
    // forked, so not our child: stop it even when this JVM is stopped by a signal, before finally blocks run
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::destroy));
    return daemon;
  }

  static DBusConnection standInSystemd(Path out) throws Exception {
    var connection = DBusConnectionBuilder.forAddress("unix:path=" + out.resolve("bus")).withShared(false).build();
    connection.requestBusName("org.freedesktop.systemd1");
    connection.exportObject("/org/freedesktop/systemd1", new StandInManager() {
      @Override
      public void Subscribe() {}

      @Override
      public String getObjectPath() {
        return "/org/freedesktop/systemd1";
      }
    });
    return connection;
  }

  static BundlePayload payload(String identity) {
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("bench");
    payload.setTenant("bench");
    payload.setDevice("bench-1");
    payload.setIdentityHash(identity);
    payload.setVersion(1L);
    payload.setIssuedAt(Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(Instant.now().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
    payload.setSourceCommit("0123456789abcdef0123456789abcdef01234567");
    payload.setRootVersion(1L);
    var state = new DesiredState();
    var sysctl = new TreeMap<String, String>();
    for (int i = 0; i < KEYS; i++) {
      sysctl.put("net.bench.k" + i, "1");
    }
    state.setSysctl(sysctl);
    var files = new ArrayList<FileSpec>();
    for (int i = 0; i < FILES; i++) {
      var spec = new FileSpec();
      spec.setPath("/etc/bench/d" + (i % 10) + "/f" + i + ".conf");
      spec.setContent(("# managed file " + i + "\n").repeat(8));
      files.add(spec);
    }
    state.setFiles(files);
    payload.setState(state);
    var timing = new DriftTiming();
    timing.setSysctlPollInterval("10s");
    timing.setDebounce("100ms");
    payload.setDriftTiming(timing);
    return payload;
  }

  /** Tampers with one file per round (half in place, half by rename) and times detection and correction. */
  static void drift(Path host, int rounds) throws Exception {
    var detect = new ArrayList<Double>();
    var correct = new ArrayList<Double>();
    for (int r = 0; r < rounds; r++) {
      var i = (r * 37) % FILES;
      var device = "/etc/bench/d" + (i % 10) + "/f" + i + ".conf";
      var file = host.resolve(device.substring(1));
      var want = Files.readString(file);
      LINES.clear();
      var start = System.nanoTime();
      if (r % 2 == 0) {
        Files.writeString(file, "tampered " + r + "\n");
      } else {
        var temp = Files.writeString(file.resolveSibling(".f" + i + ".swp"), "tampered " + r + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      var seen = waitFor("drift file:" + device, 10);
      detect.add((seen.nanos - start) / 1e6);
      while (!want.equals(readQuietly(file))) {
        Thread.onSpinWait();
        if (System.nanoTime() - start > 10_000_000_000L) {
          throw new IllegalStateException("file " + device + " not corrected within 10 s");
        }
      }
      correct.add((System.nanoTime() - start) / 1e6);
      Thread.sleep(300);
    }
    System.out.printf("file drift detection (%d rounds): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", rounds,
        pct(detect, 50), pct(detect, 99), pct(detect, 100));
    System.out.printf("file drift correction: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        pct(correct, 50), pct(correct, 99), pct(correct, 100));
  }

  static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }

  static double pct(List<Double> values, int p) {
    var sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** A loopback HTTPS server, as agents talk to the reconciler: a self-signed EC certificate made with keytool. */
  static HttpServer server(byte[] bundle, Path out) throws Exception {
    var password = "bench-only";
    var store = out.resolve("server.p12");
    keytool("-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=bench", "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", "bench", "-keystore", store.toString(), "-storepass", password,
        "-file", out.resolve("server.pem").toString());
    var keys = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, password.toCharArray());
    }
    var managers = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password.toCharArray());
    var tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    var server = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        if (exchange.getRequestMethod().equals("POST")) {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
        } else if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
          longPoll(exchange);
        } else {
          exchange.getResponseHeaders().set("ETag", "\"v1\"");
          exchange.sendResponseHeaders(200, bundle.length);
          exchange.getResponseBody().write(bundle);
        }
      }
    });
    server.start();
    return server;
  }

  static void keytool(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }

  static void longPoll(HttpExchange exchange) throws IOException {
    var query = exchange.getRequestURI().getQuery();
    var seconds = query != null && query.startsWith("wait=") ? Integer.parseInt(query.replaceAll("\\D", "")) : 0;
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.sendResponseHeaders(304, -1);
  }

  static void read(Process agent) {
    try (var in = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        LINES.add(new Line(System.nanoTime(), line));
        if (!line.contains("drift file:") && !line.contains(PassOutcome.DRIFT_CORRECTED.reason())) {
          System.out.println("  | " + line);
        }
      }
    } catch (IOException e) {
      // agent gone
    }
  }

  static Line waitFor(String text, int seconds) throws InterruptedException {
    var deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      var line = LINES.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.text().contains(text)) {
        return line;
      }
    }
    throw new IllegalStateException("agent did not print '" + text + "' within " + seconds + " s");
  }

  /** The java process: the launcher execs java, so it is the launcher's own pid. */
  static long javaPid(Process agent) {
    return agent.pid();
  }

  static long status(long pid, String field) throws IOException {
    return field(pid, "status", field);
  }

  /** RSS split into anonymous and file-backed pages, and Pss (file pages shared with other processes divided). */
  static String memory(long pid) throws IOException {
    return String.format("RssAnon %.1f, RssFile %.1f, Pss %.1f MB", status(pid, "RssAnon") / 1024.0,
        status(pid, "RssFile") / 1024.0, field(pid, "smaps_rollup", "Pss") / 1024.0);
  }

  static long field(long pid, String file, String field) throws IOException {
    for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException(field + " not in /proc/" + pid + "/" + file);
  }

  static long cpuTicks(long pid) throws IOException {
    var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
  }

  static long clockTicks() throws IOException, InterruptedException {
    var p = new ProcessBuilder("getconf", "CLK_TCK").start();
    var text = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return Long.parseLong(text);
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
