package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code keys init} and {@code keys rotate} share: the repo, the keys directory, the validity. */
final class KeyOptions {
  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Option(names = "--keys", paramLabel = "DIR",
      description = "Where the private keys live; keep it outside the fleet repo.")
  Path keys;

  @Option(names = "--valid-for", defaultValue = "365d", paramLabel = "DURATION",
      description = "How long the trust root is valid (default: ${DEFAULT-VALUE}).")
  String validFor;

  void check() {
    if (keys == null) {
      throw new UserException(Flotilla.USAGE, "missing --keys DIR: where the private keys live, outside"
          + " the fleet repo");
    }
    var repoReal = repo.toAbsolutePath().normalize();
    if (keys.toAbsolutePath().normalize().startsWith(repoReal)) {
      throw new UserException(Flotilla.USAGE, "keep keys out of the fleet repo: '" + keys
          + "' is inside '" + repo + "'; pass --keys with a directory outside it");
    }
  }
}
