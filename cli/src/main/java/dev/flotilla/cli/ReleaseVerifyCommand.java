package dev.flotilla.cli;

import dev.flotilla.cli.release.ReleaseSums;
import dev.flotilla.output.Output;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla release verify}: the signature of SHA256SUMS, then every file it lists. Exit 3 on a mismatch. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check SHA256SUMS.sig with the public key,"
    + " then every file SHA256SUMS lists; exit 3 when anything differs.")
final class ReleaseVerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "PEM", description = "The signer's public key.")
  Path key;

  @Parameters(paramLabel = "DIR", description = "The directory with SHA256SUMS, its signature and the files.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    var checked = ReleaseSums.check(dir, Keys.readPublic(key));
    var out = Output.of(spec);
    if (!checked.signatureValid()) {
      out.line(ReleaseSums.SIGNATURE + ": not a valid signature of " + ReleaseSums.SUMS + " by " + key);
    }
    checked.problems().forEach(out::line);
    if (checked.ok()) {
      out.line("verified " + ReleaseSums.SUMS + " and its files in " + dir);
    }
    return checked.ok() ? Flotilla.OK : Flotilla.DIFFERENCES;
  }
}
