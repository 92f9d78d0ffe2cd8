package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.FleetName;
import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.cli.keys.RootCeremony;
import dev.flotilla.output.Output;
import dev.flotilla.schema.Durations;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla keys init}: the fleet's first keys and trust root. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Make root, bundle-signer and artifact-signer keys and write trust/root.json (version 1).")
final class KeysInitCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  KeyOptions where;

  @Option(names = "--force", description = "Replace an existing trust/root.json (not existing keys).")
  boolean force;

  @Option(names = "--root-keys", defaultValue = "1", paramLabel = "N",
      description = "Make N root keys, one directory per holder (DIR/root-holder-<i>/root.pem).")
  int rootKeys;

  @Option(names = "--threshold", defaultValue = "1", paramLabel = "K",
      description = "How many root keys must sign each new trust root version (default: ${DEFAULT-VALUE}).")
  int threshold;

  @Override
  public Integer call() throws IOException {
    where.check();
    var rootFile = where.repo.resolve("trust/root.json");
    if (Files.exists(rootFile) && !force) {
      throw new UserException(Flotilla.FAILURE, "write '" + rootFile
          + "': a trust root exists; rotate keys with 'flotilla keys rotate', or pass --force for a new fleet");
    }
    var fleet = FleetName.of(where.repo);
    if (rootKeys > 1 || threshold > 1) {
      return ceremony(rootFile, fleet);
    }
    var root = new KeyRing(where.keys, Clock.systemUTC()).init(fleet, Durations.parse(where.validFor));
    KeyRing.write(where.repo, root);
    var out = spec.commandLine().getOut();
    out.println("wrote " + rootFile + " (fleet " + fleet + ", version 1, expires " + root.getSigned().getExpires() + ")");
    for (var role : KeyRing.ROLES) {
      out.printf("  %-16s %s  %s%n", role.value(), Keys.keyId(TrustRoots.keys(root, role).getFirst()).substring(0, 16),
          where.keys.resolve(role.value() + ".pem"));
    }
    out.println("commit trust/root.json; keep " + where.keys + " secret (the root key belongs offline)");
    return Flotilla.OK;
  }

  /** N root keys for N holders and a root threshold of K. */
  private int ceremony(java.nio.file.Path rootFile, String fleet) throws IOException {
    if (threshold < 1 || threshold > rootKeys) {
      throw new UserException(Flotilla.USAGE, "make root keys: --threshold " + threshold
          + " must be between 1 and --root-keys " + rootKeys);
    }
    var root = new RootCeremony(Clock.systemUTC()).init(fleet, Durations.parse(where.validFor), where.keys,
        rootKeys, threshold);
    KeyRing.write(where.repo, root);
    var out = Output.of(spec);
    out.line("wrote " + rootFile + " (fleet " + fleet + ", version 1, " + threshold + " of " + rootKeys
        + " root keys sign each new version, expires " + root.getSigned().getExpires() + ")");
    for (int i = 1; i <= rootKeys; i++) {
      out.line("  root key " + i + ": " + RootCeremony.holder(where.keys, i) + " (give it to holder " + i
          + ", who keeps it offline)");
    }
    out.line("commit trust/root.json; rotate with 'flotilla keys rotate --propose FILE', then each holder runs"
        + " 'flotilla keys sign-root --key root.pem --proposal FILE'");
    return Flotilla.OK;
  }
}
