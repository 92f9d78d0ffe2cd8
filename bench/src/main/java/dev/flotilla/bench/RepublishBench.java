package dev.flotilla.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;

/**
 * Benchmark (bench/README.md, "Republish"): a commit that touches one policy selecting about 100 devices, then one
 * real reconcile pass (JGit fetch from the repo, validate the commit's tree, render every device, sign and write the
 * changed bundles), timed from the fetch to the bundles being served. Run by {@code bench/live.sh republish FLEET}.
 */
final class RepublishBench {
  private RepublishBench() {}

  public static void main(String[] args) throws Exception {
    var fleet = Path.of(args[0]);
    var commits = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    var work = Files.createTempDirectory("flotilla-bench-republish-");
    try (var live = new LiveFleet(fleet, work)) {
      var policy = policyNear(live.repo, 100);
      System.out.printf("fleet %s; policy %s selects %d devices%n", fleet, policy.path(), policy.devices());
      live.commit("bench: initial");
      live.startReconciler(Duration.ofHours(1)); // the loop stays idle; passes are run here
      var reconciler = live.server.reconciler();
      var times = new ArrayList<Double>();
      for (int i = 1; i <= commits; i++) {
        touch(live.repo.resolve(policy.path()), i);
        live.commit("bench: touch " + policy.path() + " #" + i);
        var started = System.nanoTime();
        var status = reconciler.reconcileOnce();
        var ms = (System.nanoTime() - started) / 1e6;
        if (!status.ready() || !status.message().contains(policy.devices() + " bundle(s) signed")) {
          throw new IllegalStateException("pass " + i + " did not republish " + policy.devices() + " devices: "
              + status.reason() + ": " + status.message());
        }
        times.add(ms);
        System.out.printf("commit %d: fetch -> %d bundles republished in %.0f ms%n", i, policy.devices(), ms);
      }
      var warm = new ArrayList<>(times.subList(Math.min(2, times.size() - 1), times.size()));
      Collections.sort(warm);
      System.out.printf("median of commits 3..%d: %.0f ms, max %.0f ms; load average %.1f%n", commits,
          warm.get(warm.size() / 2), warm.getLast(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      LiveBench.delete(work);
    }
  }

  record Target(String path, int devices) {}

  /** The policy whose selector picks the number of claimed devices nearest to {@code wanted}. */
  static Target policyNear(Path repo, int wanted) throws Exception {
    var report = new FleetValidator(Clock.systemUTC()).validate(new DirectoryTree(repo));
    var renderer = new DeviceRenderer(FleetIndex.of(report.snapshot()));
    var counts = new HashMap<String, Integer>();
    report.snapshot().devices().stream().filter(d -> d.resource().getSpec().getIdentity() != null)
        .forEach(d -> renderer.selecting(d).forEach(p -> counts.merge(p.path(), 1, Integer::sum)));
    var best = counts.entrySet().stream()
        .min((a, b) -> Integer.compare(Math.abs(a.getValue() - wanted), Math.abs(b.getValue() - wanted))
).orElseThrow();
    return new Target(best.getKey(), best.getValue());
  }

  /** Adds (or rewrites) a file of its own to the policy, so every device it selects gets new content. */
  static void touch(Path policy, int n) throws Exception {
    var yaml = new YAMLMapper();
    var tree = (ObjectNode) yaml.readTree(policy.toFile());
    var state = ((ObjectNode) tree.with("spec")).with("state");
    var files = state.withArray("files");
    for (int i = files.size() - 1; i >= 0; i--) {
      if (files.get(i).path("path").asText().equals("/etc/flotilla-bench.conf")) {
        files.remove(i);
      }
    }
    files.addObject().put("path", "/etc/flotilla-bench.conf").put("content", "touch " + n + "\n").put("mode", "0644");
    yaml.writeValue(policy.toFile(), tree);
  }
}
