package dev.flotilla.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the agent's working commands share: the agent config file ({@code -c}), read into an agent. */
abstract class WithConfig {
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
