package dev.flotilla.cli;

import dev.flotilla.cli.fleet.RepoOption;
import dev.flotilla.output.Output;
import dev.flotilla.output.OutputFormat;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flotilla claim list}: the claims waiting for approval, as text, json or yaml. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Show claims waiting for approval.")
final class ClaimListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  RepoOption checkout;

  @Mixin
  OutputFormat output;

  @Override
  public Integer call() throws IOException {
    var format = output.format();
    var pending = ClaimsCommand.waiting(checkout);
    Output.of(spec).value(format, List.copyOf(pending.values()), out -> {
      if (pending.isEmpty()) {
        out.println("no pending claims");
        return;
      }
      out.printf("%-22s %-16s %-28s %-20s %-24s %s%n", "ID", "TENANT", "DEVICE", "TOKEN", "HOST", "REQUESTED");
      for (var c : pending.values()) {
        out.printf("%-22s %-16s %-28s %-20s %-24s %s%n", c.id(), c.tenant(), c.device(), c.token(),
            c.hostname() == null ? "-" : c.hostname(), c.requestedAt());
      }
    });
    return Flotilla.OK;
  }
}
