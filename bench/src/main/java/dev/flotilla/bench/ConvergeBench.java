package dev.flotilla.bench;

import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark (bench/README.md, "Converge"): the template fleet with N agents (default 10) in sandboxes, long-polling
 * a real reconciler over loopback HTTPS; then commits, each touching a file of the policy every agent gets. Times
 * each commit from {@code git commit} (plus the wake-up a webhook gives) until each agent's host root holds the new
 * file content. Run by {@code bench/live.sh converge [AGENTS] [COMMITS]}.
 */
final class ConvergeBench {
  static final Path TEMPLATE = Path.of("fleet-repo-template");
  static final String POLICY = "tenants/acme-retail/policies/base-hardening.yaml";

  private ConvergeBench() {}

  public static void main(String[] args) throws Exception {
    var agents = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    var commits = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    var work = Files.createTempDirectory("flotilla-bench-converge-");
    try (var live = new LiveFleet(TEMPLATE, work)) {
      var names = acmeDevices().subList(0, agents);
      live.enrol(names);
      live.commit("bench: enrol");
      live.startReconciler(Duration.ofHours(1)); // passes come from wake-ups, as from the webhook
      live.startAgents(Duration.ofSeconds(30), (device, line) -> { });
      if (!live.awaitConverged(Duration.ofSeconds(120))) {
        throw new IllegalStateException("agents did not apply their first bundles in 120 s");
      }
      var each = new ArrayList<Double>();
      var all = new ArrayList<Double>();
      for (int i = 1; i <= commits; i++) {
        RepublishBench.touch(live.repo.resolve(POLICY), i);
        live.commit("bench: touch #" + i);
        var started = System.nanoTime();
        live.server.wakeUp();
        var expected = "touch " + i + "\n";
        var pending = new ArrayList<>(live.devices);
        var deadline = started + Duration.ofSeconds(60).toNanos();
        while (!pending.isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("commit " + i + ": " + pending.size() + " agents did not apply it in 60 s");
          }
          for (var it = pending.iterator(); it.hasNext();) {
            var file = it.next().root().resolve("etc/flotilla-bench.conf");
            if (Files.exists(file) && Files.readString(file).equals(expected)) {
              each.add((System.nanoTime() - started) / 1e6);
              it.remove();
            }
          }
          Thread.sleep(1);
        }
        all.add((System.nanoTime() - started) / 1e6);
        System.out.printf("commit %d: applied on all %d agents in %.0f ms%n", i, agents, all.getLast());
      }
      Collections.sort(each);
      Collections.sort(all);
      System.out.printf("%d agents, %d commits: per agent p50 %.0f ms, p95 %.0f ms; all agents p50 %.0f ms,"
              + " p95 %.0f ms, max %.0f ms; load average %.1f%n", agents, commits,
          LiveBench.percentile(each, 50), LiveBench.percentile(each, 95), LiveBench.percentile(all, 50),
          LiveBench.percentile(all, 95), all.getLast(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      LiveBench.delete(work);
    }
  }

  private static List<String> acmeDevices() throws Exception {
    try (var files = Files.list(TEMPLATE.resolve("tenants/acme-retail/devices"))) {
      return files.map(f -> f.getFileName().toString().replace(".yaml", "")).sorted().toList();
    }
  }
}
