import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The resident-memory floor of the agent's mandated components, without any Flotilla code: each run is one fresh
 * JVM that sets up the components up to one step, then prints {@code READY} and idles while bench/agent-floor.sh
 * reads its /proc/PID/status. Compiled once by that script (a source-file launch would load javac into the JVM
 * being measured); the client's classpath is the agent's own lib jars.
 *
 * <pre>
 * java AgentFloor server DIR          HTTPS stand-in (its own JVM): writes DIR/server.pem and DIR/port
 * java AgentFloor client STEP DIR     STEP: bare | tls-system-ca | tls | sqlite | metrics | watch
 * </pre>
 *
 * Steps are cumulative in the order bare, tls, sqlite, metrics, watch; tls-system-ca is tls plus what
 * HttpsURLConnection costs when nothing replaces its default socket factory (all system CAs parsed, unused).
 * Any failure exits 1 with a one-line message, before READY.
 */
public class AgentFloor {
  static final List<String> CHAIN = List.of("bare", "tls", "sqlite", "metrics", "watch");
  /** Keeps the long-poll, watch and metrics threads' objects reachable. */
  static final List<Object> KEEP = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("server")) {
      server(Path.of(args[1]));
      return;
    }
    if (args.length != 3 || !args[0].equals("client")) {
      fail("usage: AgentFloor server DIR | AgentFloor client STEP DIR");
    }
    var step = args[1];
    var dir = Path.of(args[2]);
    var depth = step.equals("tls-system-ca") ? 1 : CHAIN.indexOf(step);
    if (depth < 0) {
      fail("run step '" + step + "': unknown; use one of " + CHAIN + " or tls-system-ca");
    }
    try {
      if (depth >= 1) {
        tls(dir, step.equals("tls-system-ca"));
      }
      if (depth >= 2) {
        sqlite(dir);
      }
      if (depth >= 3) {
        metrics(dir);
      }
      if (depth >= 4) {
        watch(dir);
      }
    } catch (Exception e) {
      fail("run step '" + step + "': " + e);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  static void fail(String message) {
    System.err.println("AgentFloor: " + message);
    System.exit(1);
  }

  // ---- the client's components ----

  /**
   * An SSLContext trusting only the server's PEM, and a long-poll loop (GET, then If-None-Match with ?wait=5s)
   * over HttpsURLConnection on a thread of its own. The first GET (200) and one long-poll (304) must succeed.
   */
  static void tls(Path dir, boolean systemCa) throws Exception {
    var factory = trusting(dir.resolve("server.pem")).getSocketFactory();
    if (systemCa) {
      SSLContext.getDefault(); // what HttpsURLConnection's field initializer does when no default is installed
    } else {
      HttpsURLConnection.setDefaultSSLSocketFactory(factory); // its field initializer then loads nothing
    }
    var url = URI.create("https://127.0.0.1:" + Files.readString(dir.resolve("port")).strip() + "/bundle");
    var etag = get(url, null, factory, 200);
    get(URI.create(url + "?wait=1s"), etag, factory, 304);
    var poller = Thread.ofPlatform().daemon().name("long-poll").start(() -> {
      while (true) {
        try {
          get(URI.create(url + "?wait=5s"), etag, factory, 304);
        } catch (IOException e) {
          System.err.println("AgentFloor: long-poll: " + e);
          System.exit(1);
        }
      }
    });
    KEEP.add(poller);
  }

  /** One GET; returns the ETag. Reads the body to the end so the connection is kept alive. */
  static String get(URI url, String etag, SSLSocketFactory factory, int expected) throws IOException {
    var connection = (HttpsURLConnection) url.toURL().openConnection();
    connection.setSSLSocketFactory(factory);
    connection.setReadTimeout(60_000);
    if (etag != null) {
      connection.setRequestProperty("If-None-Match", etag);
    }
    var status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    if (status != expected) {
      throw new IOException("GET " + url + ": status " + status + ", expected " + expected);
    }
    return connection.getHeaderField("ETag");
  }

  static SSLContext trusting(Path pem) throws Exception {
    var store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (var in = Files.newInputStream(pem)) {
      int i = 0;
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    var context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** A WAL-mode state DB with 200 resource rows, kept open; the count must read back. */
  static void sqlite(Path dir) throws Exception {
    var file = dir.resolve("state.db");
    Files.deleteIfExists(file);
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (var statement = db.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("CREATE TABLE resource (kind TEXT NOT NULL, id TEXT NOT NULL, digest TEXT NOT NULL, "
          + "applied_at TEXT NOT NULL, PRIMARY KEY (kind, id))");
    }
    db.setAutoCommit(false);
    try (var insert = db.prepareStatement("INSERT INTO resource VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < 200; i++) {
        insert.setString(1, i < 100 ? "file" : "sysctl");
        insert.setString(2, i < 100 ? "/etc/bench/d" + i / 10 + "/f" + i : "net.bench.key" + i);
        insert.setString(3, "%064x".formatted(i));
        insert.setString(4, "2026-12-02T00:00:00Z");
        insert.addBatch();
      }
      insert.executeBatch();
    }
    db.commit();
    db.setAutoCommit(true);
    try (var statement = db.createStatement(); var rows = statement.executeQuery("SELECT count(*) FROM resource")) {
      if (!rows.next() || rows.getInt(1) != 200) {
        throw new IOException("state DB: expected 200 rows");
      }
    }
    KEEP.add(db);
  }

  /**
   * A registry with 200 labelled gauges (one per resource) and a few counters, served as the Prometheus text
   * format on /metrics by the JDK HttpServer on a loopback port written to DIR/metrics-port; the harness scrapes it.
   */
  static void metrics(Path dir) throws Exception {
    var registry = new PrometheusRegistry();
    var compliant = Gauge.builder().name("floor_resource_compliant").help("1 when the resource is as desired")
        .labelNames("kind", "resource").register(registry);
    for (int i = 0; i < 200; i++) {
      compliant.labelValues(i < 100 ? "file" : "sysctl", "r" + i).set(1);
    }
    for (var name : List.of("floor_drift", "floor_applies", "floor_polls")) {
      Counter.builder().name(name).help(name).register(registry).inc();
    }
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        var body = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(body, registry.scrape());
        exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        exchange.sendResponseHeaders(200, body.size());
        body.writeTo(exchange.getResponseBody());
      }
    });
    server.start();
    Files.writeString(dir.resolve("metrics-port"), String.valueOf(server.getAddress().getPort()));
    KEEP.add(server);
  }

  /**
   * 100 files in 10 directories, each directory registered with a WatchService; a thread hashes each changed
   * file. One write is made and must be seen within 10 s.
   */
  static void watch(Path dir) throws Exception {
    WatchService watcher = FileSystems.getDefault().newWatchService();
    for (int d = 0; d < 10; d++) {
      var sub = Files.createDirectories(dir.resolve("etc/d" + d));
      for (int f = 0; f < 10; f++) {
        Files.writeString(sub.resolve("f" + f + ".conf"), "setting=" + f + "\n");
      }
      sub.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
    var seen = new SynchronousQueue<String>();
    var thread = Thread.ofPlatform().daemon().name("watch").start(() -> {
      try {
        var sha = MessageDigest.getInstance("SHA-256");
        while (true) {
          var key = watcher.take();
          for (var event : key.pollEvents()) {
            var changed = ((Path) key.watchable()).resolve((Path) event.context());
            var digest = Files.isRegularFile(changed) ? HexFormat.of().formatHex(sha.digest(Files.readAllBytes(changed))) : "";
            seen.offer(changed + " " + digest);
          }
          key.reset();
        }
      } catch (Exception e) {
        System.err.println("AgentFloor: watch: " + e);
        System.exit(1);
      }
    });
    KEEP.add(thread);
    Files.writeString(dir.resolve("etc/d3/f7.conf"), "setting=tampered\n");
    if (seen.poll(10, TimeUnit.SECONDS) == null) {
      throw new IOException("watch: no event for a write to etc/d3/f7.conf within 10 s");
    }
  }

  // ---- the server, a JVM of its own ----

  /**
   * An HTTPS server with a fresh self-signed P-256 certificate (keytool): GET /bundle answers 200 with an ETag;
   * with that ETag in If-None-Match it holds the request for ?wait=Ns, then answers 304.
   */
  static void server(Path dir) throws Exception {
    var password = "floor-only";
    var store = dir.resolve("server.p12");
    Files.deleteIfExists(store);
    keytool("-genkeypair", "-alias", "floor", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=floor", "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", "floor", "-keystore", store.toString(), "-storepass", password,
        "-file", dir.resolve("server.pem.tmp").toString());
    var keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, password.toCharArray());
    }
    var managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password.toCharArray());
    var tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    var server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/bundle", AgentFloor::bundle);
    server.start();
    Files.move(dir.resolve("server.pem.tmp"), dir.resolve("server.pem"));
    Files.writeString(dir.resolve("port"), String.valueOf(server.getAddress().getPort()));
    System.out.println("SERVING " + server.getAddress().getPort());
    System.out.flush();
  }

  static void bundle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        var query = exchange.getRequestURI().getQuery();
        var seconds = query != null && query.startsWith("wait=") ? Integer.parseInt(query.replaceAll("\\D", "")) : 0;
        try {
          Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(304, -1);
      } else {
        var body = "{\"bundle\":\"floor\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("ETag", "\"v1\"");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    }
  }

  static void keytool(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + ": " + output.strip());
    }
  }
}
