package dev.flotilla.cli;

import dev.flotilla.cli.fleet.FleetName;
import dev.flotilla.keys.KeyRing;
import dev.flotilla.model.KeyRole;
import dev.flotilla.schema.Durations;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla keys init|rotate}: the fleet's signing keys and its trust root. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make and rotate the fleet's signing keys.",
    subcommands = {KeysCommand.Init.class, KeysCommand.Rotate.class})
final class KeysCommand {

  static final class Where {
    @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
    Path repo;

    @Option(names = "--keys", required = true, paramLabel = "DIR",
        description = "Where the private keys live; keep it outside the fleet repo.")
    Path keys;

    @Option(names = "--valid-for", defaultValue = "365d", paramLabel = "DURATION",
        description = "How long the trust root is valid (default: ${DEFAULT-VALUE}).")
    String validFor;

    void check() {
      var repoReal = repo.toAbsolutePath().normalize();
      if (keys.toAbsolutePath().normalize().startsWith(repoReal)) {
        throw new Flotilla.UserException(Flotilla.USAGE, "keep keys out of the fleet repo: '" + keys
            + "' is inside '" + repo + "'; pass --keys with a directory outside it");
      }
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Make root, bundle-signer and artifact-signer keys and write trust/root.json (version 1).")
  static final class Init implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Where where;

    @Option(names = "--force", description = "Replace an existing trust/root.json (not existing keys).")
    boolean force;

    @Override
    public Integer call() throws IOException {
      where.check();
      var rootFile = where.repo.resolve("trust/root.json");
      if (Files.exists(rootFile) && !force) {
        throw new Flotilla.UserException(Flotilla.FAILURE, "write '" + rootFile
            + "': a trust root exists; rotate keys with 'flotilla keys rotate', or pass --force for a new fleet");
      }
      var fleet = FleetName.of(where.repo);
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
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Replace keys and write the next trust root version, signed by the old and the new root keys.")
  static final class Rotate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Where where;

    @Option(names = "--role", split = ",", defaultValue = "bundle-signer", paramLabel = "ROLE",
        description = "Roles whose keys to replace: root, bundle-signer, artifact-signer (default: ${DEFAULT-VALUE}).")
    List<String> roles;

    @Override
    public Integer call() throws IOException {
      where.check();
      var chosen = EnumSet.noneOf(KeyRole.class);
      for (var role : roles) {
        try {
          chosen.add(KeyRole.fromValue(role));
        } catch (IllegalArgumentException e) {
          throw new Flotilla.UserException(Flotilla.USAGE, "rotate keys: no role '" + role
              + "'; use root, bundle-signer or artifact-signer");
        }
      }
      var current = KeyRing.read(where.repo);
      var next = new KeyRing(where.keys, Clock.systemUTC())
          .rotate(current, chosen, Durations.parse(where.validFor), where.repo);
      spec.commandLine().getOut().println("wrote " + where.repo.resolve("trust/root.json") + ": version "
          + next.getSigned().getVersion() + ", new keys for " + roles + "; commit it, then restart the reconciler"
          + " if the bundle-signer changed");
      return Flotilla.OK;
    }
  }
}
