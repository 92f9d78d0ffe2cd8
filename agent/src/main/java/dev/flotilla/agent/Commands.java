package dev.flotilla.agent;

import dev.flotilla.agent.service.AgentService;
import dev.flotilla.bundle.BundleBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The agent's working commands: run, apply an ops bundle, plan, status. Each reads the agent config file. */
final class Commands {
  private Commands() {}

  abstract static class WithConfig {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, defaultValue = "/etc/flotilla/agent.yaml", paramLabel = "FILE",
        description = "The agent config (default: ${DEFAULT-VALUE}).")
    Path config;

    /**
     * The agent of this config, for a one-shot command: what it would log while running (drift found, a newer
     * agent's state database) goes to standard error.
     */
    Agent agent() throws IOException {
      var err = spec.commandLine().getErr();
      return AgentWiring.agent(AgentWiring.config(config), Clock.systemUTC(),
          new dev.flotilla.agent.metrics.AgentMetrics(),
          line -> err.println("flotilla-agent: " + line));
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run the agent: re-apply the last good bundle, then fetch, verify and apply new ones until stopped.")
  static final class Run extends WithConfig implements Callable<Integer> {
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

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Apply a signed bundle from a file (an ops bundle), with the same checks as a downloaded one.")
  static final class Apply extends WithConfig implements Callable<Integer> {
    @Option(names = "--bundle", required = true, paramLabel = "FILE")
    Path bundle;

    @Override
    public Integer call() throws IOException {
      var raw = BundleBytes.read(bundle); // one over the cap is refused here, unread, before the agent opens its state
      try (var agent = agent()) {
        var pass = agent.applyFile(raw);
        (pass.ready() ? spec.commandLine().getOut() : spec.commandLine().getErr())
            .println("flotilla-agent: " + AgentLoop.describe(pass));
        return pass.ready() ? 0 : 1;
      }
    }
  }

  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = "Print what applying the current bundle would change now; changes nothing. Exit 3 on changes.")
  static final class Plan extends WithConfig implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      try (var agent = agent()) {
        var plan = agent.plan();
        var out = spec.commandLine().getOut();
        out.print(plan.isEmpty() ? "no changes\n" : plan.toString());
        out.flush(); // print does not flush picocli's writer, and main exits right after
        return plan.isEmpty() ? 0 : 3;
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Print the accepted and the enforced bundle version, the trust root and the recent applies;"
          + " exit 1 when no stored bundle can be used.")
  static final class Status extends WithConfig implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      try (var agent = agent()) {
        var out = spec.commandLine().getOut();
        out.println("bundle version: " + agent.state().lastAcceptedVersion());
        String unusable = null;
        try {
          var enforced = agent.enforced();
          out.println("enforced bundle: " + (enforced.isPresent() ? "version " + enforced.getAsLong() : "none yet"));
        } catch (dev.flotilla.trust.TrustException e) {
          unusable = "refuse stored bundle: " + e.getMessage();
          out.println("enforced bundle: none, no stored bundle can be used");
        }
        out.println("trust root: fleet " + agent.root().getSigned().getFleet() + ", version "
            + agent.root().getSigned().getVersion() + ", expires " + agent.root().getSigned().getExpires());
        out.println("drift events: " + agent.state().driftCount());
        for (var entry : agent.state().history(10)) {
          out.println("  " + entry.line());
        }
        if (unusable != null) {
          spec.commandLine().getErr().println("flotilla-agent: " + unusable);
          return 1;
        }
        return 0;
      }
    }
  }

}
