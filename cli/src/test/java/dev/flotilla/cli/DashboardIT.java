package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.agent.metrics.MetricsServer;
import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the alert rules against live data: a real Prometheus (the Debian package) scrapes a
 * reconciler serving the template fleet and three agents (their host telemetry read from copies of this machine's
 * /proc), loads the rules, and answers every panel's query with data of the shape the panel shows.
 */
class DashboardIT {
  static final Path HOME = Run.HOME;
  static final Path DASHBOARD = HOME.resolve("deploy/grafana/flotilla.json");
  static final Path RULES = HOME.resolve("deploy/prometheus/flotilla-rules.yml");
  static final List<String> KIOSKS = List.of("kiosk-berlin-01-a", "kiosk-berlin-01-b", "kiosk-berlin-02-a");
  static final Pattern METRIC = Pattern.compile("\\b(flotilla_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+)\\b");
  @TempDir
  Path work;
  LiveFleet fleet;
  List<MetricsServer> agentMetrics = new ArrayList<>();
  RealPrometheus prometheus;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    agentMetrics.forEach(MetricsServer::close);
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void everyPanelQueryReturnsDataOfItsShape() throws Exception {
    startFleet();
    prometheus = new RealPrometheus(Files.createDirectories(work.resolve("prometheus")), config());
    awaitSamples();
    Files.writeString(fleet.devices.getFirst().root().resolve("etc/motd"), "tampered\n"); // one correction

    var failures = poll(Duration.ofSeconds(60), this::panelFailures);

    assertThat(failures).as("panels without data of their shape; log:\n" + prometheus.log()).isEmpty();
  }

  @Test
  void everyMetricTheRulesAndPanelsReadIsExported() throws Exception {
    startFleet();
    prometheus = new RealPrometheus(Files.createDirectories(work.resolve("prometheus")), config());
    awaitSamples();
    Files.writeString(fleet.devices.getFirst().root().resolve("etc/motd"), "tampered\n");
    var wanted = new TreeSet<String>();
    new YAMLMapper().readTree(RULES.toFile()).findValues("expr").forEach(expr -> wanted.addAll(metrics(expr.asText())));
    panels().values().forEach(expr -> wanted.addAll(metrics(expr)));

    var missing = poll(Duration.ofSeconds(60), () -> {
      var names = new TreeSet<String>();
      prometheus.get("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
      return wanted.stream().filter(m -> !names.contains(m)).toList();
    });
    var rules = prometheus.get("/api/v1/rules");

    assertThat(missing).as("metrics read but not exported").isEmpty();
    assertThat(rules.findValues("health").stream().map(JsonNode::asText).distinct().toList())
        .as("rule health: " + rules).containsExactly("ok");
  }

  void startFleet() throws Exception {
    fleet = new LiveFleet(HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(KIOSKS);
    fleet.commit("Enrol three kiosks");
    fleet.startReconciler(Duration.ofSeconds(1));
    for (var sandbox : fleet.devices) {
      copyHost(sandbox.proc(), sandbox.root());
    }
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(60))).as("agents converged").isTrue();
    for (var sandbox : fleet.devices) {
      agentMetrics.add(MetricsServer.start("127.0.0.1:0", sandbox.metrics().registry()));
    }
  }

  /**
   * What the host telemetry reads, copied from this machine into a sandbox: /proc's files (PSI where the kernel has
   * it) and, as most test machines have none, one thermal zone in the kernel's sysfs format.
   */
  static void copyHost(Path proc, Path root) throws java.io.IOException {
    for (var name : List.of("stat", "meminfo", "loadavg", "uptime", "vmstat", "mounts", "filesystems",
        "pressure/cpu", "pressure/memory", "pressure/io")) {
      var source = Path.of("/proc").resolve(name);
      if (Files.isReadable(source)) {
        Files.createDirectories(proc.resolve(name).getParent());
        Files.writeString(proc.resolve(name), Files.readString(source));
      }
    }
    var zone = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone0"));
    Files.writeString(zone.resolve("type"), "x86_pkg_temp\n");
    Files.writeString(zone.resolve("temp"), "45000\n");
  }

  String config() {
    var agents = agentMetrics.stream().map(s -> "'127.0.0.1:" + s.address().getPort() + "'")
        .collect(Collectors.joining(", "));
    return """
        global: { scrape_interval: 1s, evaluation_interval: 1s }
        rule_files: ['%s']
        scrape_configs:
          - job_name: flotilla-reconciler
            static_configs: [ { targets: ['127.0.0.1:%d'] } ]
          - job_name: flotilla-agent
            static_configs: [ { targets: [%s] } ]
        """.formatted(RULES, fleet.server.metricsAddress().getPort(), agents);
  }

  /** Until every target was scraped three times, so rates over a minute have points to work with. */
  void awaitSamples() throws Exception {
    var ready = poll(Duration.ofSeconds(90), () -> {
      var data = prometheus.query("min(count_over_time(up[1m])) >= 3 and count(up == 1) == " + (KIOSKS.size() + 1));
      return data != null && !data.path("result").isEmpty() ? List.of() : List.of("not yet");
    });
    assertThat(ready).as("first samples; log:\n" + prometheus.log()).isEmpty();
  }

  /** Each panel whose query does not (yet) return data of its shape, with what it returned. */
  List<String> panelFailures() throws java.io.IOException, InterruptedException {
    var failures = new ArrayList<String>();
    for (var panel : panels().entrySet()) {
      var data = prometheus.query(panel.getValue());
      if (data == null || !shaped(panel.getKey().split("\t")[0], data)) {
        failures.add(panel.getKey() + ": " + panel.getValue() + " -> " + data);
      }
    }
    return failures;
  }

  /** A stat shows one number: a scalar or a one-sample vector; other panels any non-empty vector. */
  static boolean shaped(String type, JsonNode data) {
    var kind = data.path("resultType").asText();
    if (type.equals("stat")) {
      return kind.equals("scalar") || kind.equals("vector") && data.path("result").size() == 1;
    }
    return kind.equals("vector") && !data.path("result").isEmpty();
  }

  /** Every panel's query, keyed "type\ttitle", with the dashboard's variables set as 'All' and a 1m rate window. */
  static Map<String, String> panels() throws java.io.IOException {
    var out = new LinkedHashMap<String, String>();
    for (var panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
      for (var target : panel.path("targets")) {
        out.put(panel.path("type").asText() + "\t" + panel.path("title").asText(),
            target.path("expr").asText().replace("$tenant", ".*").replace("$__rate_interval", "1m"));
      }
    }
    assertThat(out).as("panels of " + DASHBOARD).hasSizeGreaterThan(20);
    return out;
  }

  static List<String> metrics(String expr) {
    return METRIC.matcher(expr).results().map(m -> m.group(1)).toList();
  }

  interface Check {
    List<String> failures() throws Exception;
  }

  /** Runs {@code check} until it finds nothing wrong or {@code timeout} passes; what it found last. */
  static List<String> poll(Duration timeout, Check check) throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    var failures = check.failures();
    while (!failures.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      failures = check.failures();
    }
    return failures;
  }
}
