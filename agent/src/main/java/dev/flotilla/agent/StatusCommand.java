package dev.flotilla.agent;

import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flotilla-agent status}: the bundle versions, the trust root and the recent applies. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print the accepted and the enforced bundle version, the trust root and the recent applies;"
        + " exit 1 when no stored bundle can be used.")
final class StatusCommand extends WithConfig implements Callable<Integer> {
  @Mixin
  OutputFormat output;

  /** What the command prints; {@code enforcedVersion} null with {@code unusable} saying why, or before any bundle. */
  record Shown(long acceptedVersion, Long enforcedVersion, String unusable, String fleet, Long trustRootVersion,
      OffsetDateTime trustRootExpires, long driftEvents, List<String> recentApplies) {}

  @Override
  public Integer call() throws IOException {
    var format = output.format();
    try (var agent = agent()) {
      Long enforced = null;
      String unusable = null;
      try {
        var version = agent.enforced();
        enforced = version.isPresent() ? version.getAsLong() : null;
      } catch (TrustException e) {
        unusable = "refuse stored bundle: " + e.getMessage();
      }
      var root = agent.root().getSigned();
      var shown = new Shown(agent.state().lastAcceptedVersion(), enforced, unusable, root.getFleet(),
          root.getVersion(), root.getExpires(), agent.state().driftCount(),
          agent.state().history(10).stream().map(e -> e.line()).toList());
      Output.of(spec).value(format, shown, out -> text(out, shown));
      if (unusable != null) {
        Output.errorsOf(spec).line("flotilla-agent: " + unusable);
        return 1;
      }
      return 0;
    }
  }

  private static void text(PrintWriter out, Shown shown) {
    out.println("bundle version: " + shown.acceptedVersion());
    out.println("enforced bundle: " + (shown.enforcedVersion() != null ? "version " + shown.enforcedVersion()
        : shown.unusable() != null ? "none, no stored bundle can be used" : "none yet"));
    out.println("trust root: fleet " + shown.fleet() + ", version " + shown.trustRootVersion() + ", expires "
        + shown.trustRootExpires());
    out.println("drift events: " + shown.driftEvents());
    shown.recentApplies().forEach(line -> out.println("  " + line));
  }
}
