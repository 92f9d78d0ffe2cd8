package dev.flotilla.bench;

import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.host.Host;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.DbusSystemd;
import dev.flotilla.agent.host.systemd.UnitWatcher;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.Planner;
import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Unit drift latency against a real systemd in systemd-nspawn: {@code systemctl stop} run inside the container
 * (through nsenter) → the agent's {@link UnitWatcher} sees {@code unit:<name>} (detection), and → plan + apply has
 * the unit active again (correction). Run by {@code bench/unit-drift.sh [runs]}.
 */
public final class UnitDriftBench {
  private UnitDriftBench() {
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    var unit = "bench-sleeper.service";
    try (var container = NspawnContainer.boot("flotilla-bench");
         var systemd = DbusSystemd.connect(container.busAddress())) {
      var files = new HostFiles(container.hostRoot(), List.of("/etc"));
      var sysctl = new Sysctl(Files.createTempDirectory("bench-proc"), container.hostRoot());
      var host = new Host(files, sysctl, new SystemdHost(systemd,
          new AppStore(container.hostRoot().resolve("var/lib/flotilla/apps"), "/var/lib/flotilla/apps"),
          url -> { throw new IOException("none"); }, container.hostRoot()));
      var applier = new Applier(files, sysctl, systemd, null);
      var spec = new ServiceSpec();
      spec.setUnit(unit);
      spec.setUnitFile("[Service]\nExecStart=/bin/sleep infinity\n");
      var desired = new DesiredState();
      desired.setServices(List.of(spec));
      applier.apply(Planner.plan(desired, Map.of(), host.observe(desired, Inventory.EMPTY), Inventory.EMPTY));
      var seen = new LinkedBlockingQueue<Long>();
      var detect = new ArrayList<Double>();
      var correct = new ArrayList<Double>();
      try (var watcher = new UnitWatcher(systemd, key -> seen.add(System.nanoTime()))) {
        watcher.manage(Set.of(unit));
        for (int i = 0; i < runs + 3; i++) {
          seen.clear();
          long stop = System.nanoTime();
          container.exec("systemctl", "--no-block", "stop", unit);
          long detected = seen.take();
          var plan = Planner.plan(desired, Map.of(), host.observe(desired, Inventory.EMPTY), Inventory.EMPTY);
          while (plan.isEmpty()) { // the first signal can be the stop job starting, before ActiveState moves
            seen.take();
            plan = Planner.plan(desired, Map.of(), host.observe(desired, Inventory.EMPTY), Inventory.EMPTY);
          }
          var applied = applier.apply(plan.enforceable());
          long corrected = System.nanoTime();
          if (applied.failed() || !systemd.unit(unit).active()) {
            throw new IllegalStateException("correction failed: " + applied.error().orElse("unit not active"));
          }
          if (i >= 3) { // warm-up
            detect.add((detected - stop) / 1e6);
            correct.add((corrected - detected) / 1e6);
          }
          Thread.sleep(100);
        }
      }
      System.out.printf("unit drift, %d runs (ms): detection p50 %.1f p99 %.1f max %.1f; correction p50 %.1f p99 %.1f"
          + " max %.1f%n", runs, pct(detect, 50), pct(detect, 99), pct(detect, 100), pct(correct, 50),
          pct(correct, 99), pct(correct, 100));
    }
  }

  private static double pct(List<Double> values, int p) {
    var sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
