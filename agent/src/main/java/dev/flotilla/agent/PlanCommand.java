package dev.flotilla.agent;

import dev.flotilla.output.Output;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flotilla-agent plan}: what applying the current bundle would change now. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Print what applying the current bundle would change now; changes nothing. Exit 3 on changes.")
final class PlanCommand extends WithConfig implements Callable<Integer> {
  @Override
  public Integer call() throws IOException {
    try (var agent = agent()) {
      var plan = agent.plan();
      Output.of(spec).text(plan.isEmpty() ? "no changes\n" : plan.toString());
      return plan.isEmpty() ? 0 : 3;
    }
  }
}
