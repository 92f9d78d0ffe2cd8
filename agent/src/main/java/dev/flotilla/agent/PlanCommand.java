package dev.flotilla.agent;

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
      var out = spec.commandLine().getOut();
      out.print(plan.isEmpty() ? "no changes\n" : plan.toString());
      out.flush(); // print does not flush picocli's writer, and main exits right after
      return plan.isEmpty() ? 0 : 3;
    }
  }
}
