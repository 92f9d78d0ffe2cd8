package dev.flotilla.agent;

import dev.flotilla.bundle.BundleBytes;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla-agent apply --bundle FILE}: an ops bundle, checked as a downloaded one. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Apply a signed bundle from a file (an ops bundle), with the same checks as a downloaded one.")
final class ApplyCommand extends WithConfig implements Callable<Integer> {
  @Option(names = "--bundle", required = true, paramLabel = "FILE")
  Path bundle;

  @Override
  public Integer call() throws IOException {
    var raw = BundleBytes.read(bundle); // one over the cap is refused here, unread, before the agent opens its state
    try (var agent = agent()) {
      var pass = agent.applyFile(raw);
      (pass.ready() ? Output.of(spec) : Output.errorsOf(spec)).line("flotilla-agent: " + AgentLoop.describe(pass));
      return pass.ready() ? 0 : 1;
    }
  }
}
