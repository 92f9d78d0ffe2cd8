package dev.flotilla.agent;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla-agent run}: the agent's service loop, until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the agent: re-apply the last good bundle, then fetch, verify and apply new ones until stopped.")
final class RunCommand extends WithConfig implements Callable<Integer> {
  @Option(names = "--wait", defaultValue = "30s", description = "Long-poll time per request (default: ${DEFAULT-VALUE}).")
  String wait;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    var systemd = new AgentService.Systemd(System.getenv("NOTIFY_SOCKET"), System.getenv("WATCHDOG_USEC"),
        System.getenv("WATCHDOG_PID"));
    var service = new AgentService(AgentWiring.config(config), dev.flotilla.schema.Durations.parse(wait), line -> {
      out.println("flotilla-agent: " + line);
      out.flush();
    }, systemd);
    // The hook waits for the service to wind down (a pass that is applying finishes), not for the main thread:
    // main then calls System.exit, which blocks while hooks run, so joining it cost the full timeout.
    var stopped = new CountDownLatch(1);
    try {
      service.run(Clock.systemUTC(), loop -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          loop.close();
          stopped.await(15, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
          // stopping anyway
        }
      })));
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
