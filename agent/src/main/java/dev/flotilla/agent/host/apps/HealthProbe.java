package dev.flotilla.agent.host.apps;

import dev.flotilla.agent.bundle.HttpCall;
import dev.flotilla.agent.host.systemd.Systemd;
import dev.flotilla.model.HealthCheck;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a freshly restarted app is healthy: its unit must stay active, without a restart (its {@code
 * NRestarts} and {@code ActiveEnterTimestamp} unchanged), for {@code minReadySeconds}; then the HTTP probe (when
 * given) must answer its status and the command probe (when given) exit 0. Polls every 100 ms until {@code
 * timeout} (default: minReadySeconds + 30 s). Run by the applier only; blocks the calling thread.
 *
 * <p>Where probes run: in the agent, which runs on the host, not inside the app's unit. An HTTP probe connects
 * from the agent's network namespace, so {@code 127.0.0.1} is the host's loopback: an app in its own network
 * namespace ({@code PrivateNetwork=yes}, a container) must publish its health endpoint where the host can reach it.
 * A command probe runs as a child of the agent, in the agent's own namespaces, with its user, capabilities and
 * (under the packaged unit) its read-only view of the system, not in the app's sandbox.
 */
final class HealthProbe {
  private static final Duration POLL = Duration.ofMillis(100);
  private final Systemd systemd;

  HealthProbe(Systemd systemd) {
    this.systemd = systemd;
  }

  /** Why {@code unit} is not healthy, or empty when it is. */
  Optional<String> check(String unit, HealthCheck check) throws IOException, InterruptedException {
    var minReady = Duration.ofSeconds(check == null || check.getMinReadySeconds() == null ? 10
        : check.getMinReadySeconds());
    var timeout = check == null || check.getTimeout() == null ? minReady.plusSeconds(30)
        : Durations.parse(check.getTimeout());
    long deadline = System.nanoTime() + timeout.toNanos();
    long activeSince = 0;
    long activeEnter = 0;
    while (true) {
      var now = systemd.unit(unit);
      // a manual restart flushes NRestarts, so any restart counted now happened since ours
      if (now.restarts() > 0 || now.subState().equals("auto-restart")
          || activeEnter != 0 && now.activeEnterMicros() != activeEnter) {
        return Optional.of("unit '" + unit + "' restarted (result '" + now.result() + "', ExecMainStatus "
            + now.execMainStatus() + ")");
      }
      if (now.activeState().equals("failed") || now.activeState().equals("inactive")) {
        return Optional.of("unit '" + unit + "' is " + now.activeState() + " (result '" + now.result()
            + "', ExecMainStatus " + now.execMainStatus() + ")");
      }
      if (now.activeState().equals("active") && activeSince == 0) {
        activeSince = System.nanoTime();
        activeEnter = now.activeEnterMicros();
      } else if (!now.activeState().equals("active")) {
        activeSince = 0;
      }
      if (activeSince != 0 && System.nanoTime() - activeSince >= minReady.toNanos()) {
        var probe = probes(check);
        if (probe.isEmpty() || System.nanoTime() > deadline) {
          return probe;
        }
      } else if (System.nanoTime() > deadline) {
        return Optional.of("unit '" + unit + "' not active for " + minReady.toSeconds() + "s within "
            + timeout.toSeconds() + "s (" + now.activeState() + ")");
      }
      Thread.sleep(POLL);
    }
  }

  private Optional<String> probes(HealthCheck check) throws InterruptedException {
    if (check == null) {
      return Optional.empty();
    }
    if (check.getHttp() != null) {
      var url = check.getHttp().getUrl();
      int expect = check.getHttp().getExpectStatus() == null ? 200 : check.getHttp().getExpectStatus().intValue();
      try {
        var response = HttpCall.send("GET", url, Map.of(), null, Duration.ofSeconds(5), null);
        response.discard();
        if (response.status() != expect) {
          return Optional.of("probe '" + url + "' answered " + response.status() + ", not " + expect);
        }
      } catch (IOException e) {
        return Optional.of("probe '" + url + "': " + cause(e));
      }
    }
    if (check.getCommand() != null) {
      var argv = check.getCommand().getArgv();
      try {
        var process = new ProcessBuilder(argv).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exit = process.waitFor();
        if (exit != 0) {
          return Optional.of("command " + argv + " exited " + exit);
        }
      } catch (IOException e) {
        return Optional.of("command " + argv + ": " + cause(e));
      }
    }
    return Optional.empty();
  }

  /** The exception's type and message: the JDK's HTTP client refuses a connection with no message at all. */
  private static String cause(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
