package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.model.KeyRole;
import dev.flotilla.output.Output;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla keys rotate}: new keys for some roles and the next trust root version. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = "Replace keys and write the next trust root version, signed by the old and the new root keys.")
final class KeysRotateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  KeyOptions where;

  @Option(names = "--role", split = ",", defaultValue = "bundle-signer", paramLabel = "ROLE",
      description = "Roles whose keys to replace: root, bundle-signer, artifact-signer (default: ${DEFAULT-VALUE}).")
  List<String> roles;

  @picocli.CommandLine.Mixin
  RootProposalOptions proposal;

  @Override
  public Integer call() throws IOException {
    if (proposal.requested()) {
      return proposal.run(where, Output.of(spec));
    }
    where.check();
    var chosen = EnumSet.noneOf(KeyRole.class);
    for (var role : roles) {
      try {
        chosen.add(KeyRole.fromValue(role));
      } catch (IllegalArgumentException e) {
        throw new UserException(Flotilla.USAGE, "rotate keys: no role '" + role
            + "'; use root, bundle-signer or artifact-signer");
      }
    }
    var current = KeyRing.read(where.repo);
    var next = new KeyRing(where.keys, Clock.systemUTC())
        .rotate(current, chosen, Durations.parse(where.validFor), where.repo);
    Output.of(spec).line("wrote " + where.repo.resolve("trust/root.json") + ": version "
        + next.getSigned().getVersion() + ", new keys for " + roles + "; commit it, then restart the reconciler"
        + " if the bundle-signer changed");
    return Flotilla.OK;
  }
}
