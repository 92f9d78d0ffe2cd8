package dev.flotilla.agent;

import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.metrics.MetricsServer;
import dev.flotilla.agent.service.SdNotify;
import dev.flotilla.agent.service.Watchdog;
import dev.flotilla.model.AgentConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code flotilla-agent run} as a long-running service: the agent loop, its drift watcher, the metrics endpoint
 * and, under systemd, {@code READY=1} once the last good bundle is re-applied and watchdog pings. Everything it
 * starts stops when {@link #run} returns.
 */
public final class AgentService {
  private final AgentConfig config;
  private final Duration wait;
  private final Consumer<String> log;
  private final Systemd systemd;

  /**
   * What systemd passes in the environment; main reads it, nothing below does.
   *
   * @param notifySocket {@code $NOTIFY_SOCKET}, or null
   * @param watchdogUsec {@code $WATCHDOG_USEC}, or null
   * @param watchdogPid {@code $WATCHDOG_PID}, or null
   */
  public record Systemd(String notifySocket, String watchdogUsec, String watchdogPid) {
    public static final Systemd NONE = new Systemd(null, null, null);
  }

  public AgentService(AgentConfig config, Duration wait, Consumer<String> log, Systemd systemd) {
    this.config = config;
    this.wait = wait;
    this.log = log;
    this.systemd = systemd;
  }

  /**
   * Runs until {@code stop} is called (from a shutdown hook, or a test) with the loop it is given.
   *
   * @param started receives the loop once it exists, so the caller can stop it or feed its wake-up
   * @throws IOException when the agent cannot start (config, state, trust root, metrics address)
   */
  public void run(Clock clock, Consumer<AgentLoop> started) throws IOException {
    var metrics = new AgentMetrics();
    var notify = SdNotify.of(systemd.notifySocket());
    try (var agent = AgentWiring.agent(config, clock, metrics, log);
        var server = metricsServer(metrics);
        var loop = AgentLoop.watching(agent, wait, log, () -> notify.ifPresent(n -> send(n, "READY=1")))) {
      if (server != null) {
        log.accept("serving metrics on http://" + server.address().getHostString() + ":" + server.address().getPort()
            + "/metrics");
      }
      started.accept(loop);
      var self = Thread.currentThread();
      var every = Watchdog.interval(systemd.watchdogUsec(), systemd.watchdogPid(), ProcessHandle.current().pid());
      try (var watchdog = notify.flatMap(n -> every.map(e -> Watchdog.start(n, e, self::isAlive, log))).orElse(null)) {
        loop.run();
      }
      notify.ifPresent(n -> send(n, "STOPPING=1"));
    }
  }

  /** The metrics endpoint the config asks for, or null when it turns metrics off. */
  private MetricsServer metricsServer(AgentMetrics metrics) throws IOException {
    var endpoint = config.getMetrics();
    if (endpoint != null && Boolean.FALSE.equals(endpoint.getEnabled())) {
      return null;
    }
    var listen = endpoint == null || endpoint.getListen() == null ? MetricsServer.DEFAULT_LISTEN : endpoint.getListen();
    return MetricsServer.start(listen, metrics.registry());
  }

  private void send(SdNotify notify, String state) {
    try {
      notify.send(state);
    } catch (IOException e) {
      log.accept(e.getMessage());
    }
  }
}
