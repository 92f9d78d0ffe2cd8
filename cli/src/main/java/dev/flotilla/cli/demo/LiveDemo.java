package dev.flotilla.cli.demo;

import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The live part of {@code flotilla demo}: a fleet repo, a reconciler and N agents on this machine, a commit that
 * changes a sysctl and a file, a tampered file put back, and a summary. Everything runs under one temporary
 * directory, removed at the end unless asked to keep it.
 */
public final class LiveDemo {
  public static final List<String> DEVICES = List.of("kiosk-berlin-01-a", "kiosk-berlin-01-b", "pos-berlin-01-1",
      "kiosk-berlin-02-a", "kiosk-berlin-02-b", "pos-berlin-02-1", "kiosk-hamburg-01-a", "pos-hamburg-01-1");
  private final PrintWriter out;
  private final long started = System.nanoTime();

  public LiveDemo(PrintWriter out) {
    this.out = out;
  }

  public boolean run(Path template, Path work, int agents) throws Exception {
    // The demo prints its own account of what happens; the components' logs would interleave with it.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    var names = DEVICES.subList(0, Math.min(agents, DEVICES.size()));
    try (var fleet = new LiveFleet(template, work)) {
      say("fleet repo: %s (a fresh Git repo from the template, new keys in %s)", fleet.repo, fleet.keys);
      fleet.enrol(names);
      var first = fleet.commit("Enrol " + String.join(", ", names));
      say("commit %s: enrol %d devices with their keys and identities", first.substring(0, 12), names.size());
      fleet.startReconciler(Duration.ofSeconds(2));
      say("reconciler: https://127.0.0.1:%d — %s", fleet.server.address().getPort(),
          fleet.server.reconciler().status().message());
      say("operator token (flotilla devices --server ... --token-file): %s; metrics: http://127.0.0.1:%d/metrics",
          fleet.operatorTokenFile(), fleet.server.metricsAddress().getPort());
      // A long long-poll: the server answers it at once with a new bundle, and drift is corrected by the agents'
      // watchers, not by a poll.
      var passes = new LinkedBlockingQueue<DevicePass>();
      fleet.onPass((device, pass) -> passes.add(new DevicePass(device, pass)));
      fleet.startAgents(Duration.ofSeconds(30), (device, line) -> say("  %-18s %s", device, line));
      if (!fleet.awaitConverged(Duration.ofSeconds(30))) {
        say("agents did not converge in 30 s");
        return false;
      }
      say("all %d agents applied their bundles", names.size());

      var policy = fleet.repo.resolve("tenants/acme-retail/policies/base-hardening.yaml");
      Files.writeString(policy, Files.readString(policy)
          .replace("      kernel.dmesg_restrict: \"1\"\n", "      kernel.dmesg_restrict: \"1\"\n      net.ipv4.tcp_keepalive_time: \"600\"\n")
          .replace("    files:\n", "    files:\n      - path: /etc/flotilla-demo.conf\n        content: \"demo=1\\n\"\n        mode: \"0640\"\n"));
      var change = fleet.commit("Shorter TCP keepalive and a demo config file for every Acme device");
      var committed = System.nanoTime();
      say("commit %s: base-hardening sets net.ipv4.tcp_keepalive_time=600 and adds /etc/flotilla-demo.conf",
          change.substring(0, 12));
      fleet.server.wakeUp();
      if (!fleet.awaitServing(change, Duration.ofSeconds(30)) || !fleet.awaitConverged(Duration.ofSeconds(30))) {
        say("agents did not converge on the change in 30 s");
        return false;
      }
      var convergedAfter = (System.nanoTime() - committed) / 1_000_000;
      awaitPasses(passes, fleet, PassOutcome.APPLIED);
      say("all devices converged %d ms after the commit", convergedAfter);
      for (var sandbox : fleet.devices) {
        var keepalive = Files.readString(sandbox.proc().resolve("sys/net/ipv4/tcp_keepalive_time")).strip();
        say("  %-18s net.ipv4.tcp_keepalive_time=%s, /etc/flotilla-demo.conf %s", sandbox.name(), keepalive,
            Files.exists(sandbox.root().resolve("etc/flotilla-demo.conf")) ? "present" : "MISSING");
      }

      var victim = fleet.devices.getFirst();
      var motd = victim.root().resolve("etc/motd");
      passes.clear();
      Files.writeString(motd, "hacked\n");
      var tampered = System.nanoTime();
      say("tamper: overwrote /etc/motd on %s", victim.name());
      var deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (Files.readString(motd).equals("hacked\n") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      var fixed = !Files.readString(motd).equals("hacked\n");
      var correctedAfter = (System.nanoTime() - tampered) / 1_000_000;
      // the agent's own line about the correction comes just after its write: shown before the summary
      while (fixed && System.nanoTime() < deadline) {
        var pass = passes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (pass == null
            || pass.device().equals(victim.name()) && pass.pass().outcome() == PassOutcome.DRIFT_CORRECTED) {
          break;
        }
      }
      say(fixed ? "corrected %s:/etc/motd %d ms after the tamper" : "%s:/etc/motd was NOT corrected (%d ms)",
          victim.name(), correctedAfter);
      say("summary: %d devices, 2 commits, every device on its newest bundle %s; stopping", names.size(),
          fleet.devices.stream().map(d -> d.name() + "=v" + fleet.served(d.name())).toList());
      return fixed;
    }
  }

  /** A pass of one device's agent. */
  private record DevicePass(String device, Pass pass) {}

  /**
   * Waits (up to 5 s) until every agent has logged its {@code outcome} pass over the bundle it is served: the host
   * files show the change a moment before the agent says so, and the account reads better in that order.
   */
  private static void awaitPasses(LinkedBlockingQueue<DevicePass> passes, LiveFleet fleet, PassOutcome outcome)
      throws InterruptedException {
    var waiting = new java.util.HashSet<String>();
    fleet.devices.forEach(d -> waiting.add(d.name()));
    var deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      var next = passes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next != null && next.pass().outcome() == outcome && next.pass().version() == fleet.served(next.device())) {
        waiting.remove(next.device());
      }
    }
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
      out.flush();
    }
  }

}
