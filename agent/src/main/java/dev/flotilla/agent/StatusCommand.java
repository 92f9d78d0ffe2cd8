package dev.flotilla.agent;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flotilla-agent status}: the bundle versions, the trust root and the recent applies. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print the accepted and the enforced bundle version, the trust root and the recent applies;"
        + " exit 1 when no stored bundle can be used.")
final class StatusCommand extends WithConfig implements Callable<Integer> {
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
