package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
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

/** {@code flotilla release sign}: SHA256SUMS over a release directory and its detached signature. */
@Command(name = "sign", mixinStandardHelpOptions = true, description = "Write SHA256SUMS over every file of DIR"
    + " and SHA256SUMS.sig, its ECDSA P-256 signature (DER; openssl dgst -sha256 -verify checks it too).")
final class ReleaseSignCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "PEM",
      description = "The private key: the fleet's artifact-signer.pem or a release key.")
  Path key;

  @Parameters(paramLabel = "DIR", description = "The directory with the packages and their SBOMs.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    var files = ReleaseSums.write(dir, readKey());
    Output.of(spec).line("signed the sums of " + files.size() + " file(s) in " + dir + " with " + key);
    return Flotilla.OK;
  }

  private java.security.PrivateKey readKey() {
    try {
      return Keys.readPrivate(key);
    } catch (IOException e) {
      throw new UserException(Flotilla.FAILURE, "read signing key '" + key + "': "
          + dev.flotilla.io.Failures.describe(e) + "; pass --key with a private key from 'flotilla keys init'");
    }
  }
}
