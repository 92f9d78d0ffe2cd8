package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.cli.keys.RootCeremony;
import dev.flotilla.output.Output;
import dev.flotilla.schema.Durations;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code flotilla keys rotate --propose FILE | --accept FILE}: a trust-root rotation with the root keys held apart.
 * {@code --propose} writes the next version unsigned (optionally with new root keys and threshold) to FILE, outside
 * the repo; holders sign it with {@code keys sign-root}; {@code --accept} writes it to {@code trust/root.json} only
 * when an agent holding the current root would take it (K of the old root keys and K of the new have signed).
 */
final class RootProposalOptions {
  @Option(names = "--propose", paramLabel = "FILE", description = "Write the next trust root version, unsigned,"
      + " to FILE for the root key holders to sign with 'flotilla keys sign-root'.")
  Path propose;

  @Option(names = "--root-key", paramLabel = "PUB", description = "With --propose: the new root's root keys (public"
      + " PEM files), replacing the current ones; repeat for each.")
  List<Path> rootKeys = new ArrayList<>();

  @Option(names = "--threshold", paramLabel = "K", description = "With --propose: the new root's root threshold.")
  Integer threshold;

  @Option(names = "--accept", paramLabel = "FILE", description = "Write the signed proposal FILE to trust/root.json"
      + " once K of the old and K of the new root keys have signed it.")
  Path accept;

  boolean requested() {
    return propose != null || accept != null;
  }

  int run(KeyOptions where, Output out) throws IOException {
    if (propose != null && accept != null) {
      throw new UserException(Flotilla.USAGE, "rotate trust root: give --propose or --accept, not both");
    }
    var current = KeyRing.read(where.repo);
    var ceremony = new RootCeremony(Clock.systemUTC());
    if (propose != null) {
      var keys = new ArrayList<PublicKey>();
      for (var file : rootKeys) {
        keys.add(Keys.readPublic(file));
      }
      var next = ceremony.propose(current, Durations.parse(where.validFor), keys, threshold);
      Files.write(propose, TrustRoots.toJson(next));
      out.line("wrote " + propose + ": trust root version " + next.getSigned().getVersion() + ", unsigned; each"
          + " root key holder runs 'flotilla keys sign-root --key root.pem --proposal " + propose + "', then"
          + " 'flotilla keys rotate --accept " + propose + "'");
      return Flotilla.OK;
    }
    var signed = RootCeremony.read(accept);
    try {
      ceremony.accept(current, signed);
    } catch (TrustException e) {
      throw new UserException(Flotilla.FAILURE, "accept '" + accept + "': " + e.getMessage()
          + "; collect more signatures with 'flotilla keys sign-root'");
    }
    KeyRing.write(where.repo, signed);
    out.line("wrote " + where.repo.resolve("trust/root.json") + ": version " + signed.getSigned().getVersion()
        + ", signed by " + signed.getSignatures().size() + " root key(s); commit it");
    return Flotilla.OK;
  }
}
