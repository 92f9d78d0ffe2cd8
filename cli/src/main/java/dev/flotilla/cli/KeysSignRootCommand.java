package dev.flotilla.cli;

import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.cli.keys.RootCeremony;
import dev.flotilla.output.Output;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla keys sign-root --key FILE --proposal P}: one root key holder adds their signature to a proposed
 * trust root, on their own machine, and sees whether it is enough yet. The proposal file is all that travels.
 */
@Command(name = "sign-root", mixinStandardHelpOptions = true,
    description = "Add this root key's signature to a proposed trust root (from 'flotilla keys rotate --propose').")
final class KeysSignRootCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "This holder's root.pem.")
  Path key;

  @Option(names = "--proposal", required = true, paramLabel = "FILE", description = "The proposed trust root.")
  Path proposal;

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
      description = "The fleet repo checkout holding the current trust/root.json (default: here).")
  Path repo;

  @Override
  public Integer call() throws IOException {
    var current = KeyRing.read(repo);
    var proposed = RootCeremony.read(proposal);
    var signed = RootCeremony.sign(current, proposed, Keys.readPrivate(key));
    Files.write(proposal, TrustRoots.toJson(signed));
    var out = Output.of(spec);
    out.line("signed " + proposal + " (trust root version " + signed.getSigned().getVersion() + "): "
        + signed.getSignatures().size() + " signature(s)");
    try {
      new RootCeremony(Clock.systemUTC()).accept(current, signed);
      out.line("enough signatures: run 'flotilla keys rotate --accept " + proposal + "'");
    } catch (TrustException e) {
      out.line("not enough yet: " + e.getMessage());
    }
    return Flotilla.OK;
  }
}
