package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.artifact.ArtifactSigner;
import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.model.KeyRole;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code flotilla artifact add|push|verify|sign}: signed artifact versions with their SBOMs. */
@Command(name = "artifact", mixinStandardHelpOptions = true, description = "Add, push, verify and sign artifact versions.",
    subcommands = {ArtifactAddCommand.class, ArtifactPushCommand.class, ArtifactVerifyCommand.class,
        ArtifactSignCommand.class})
final class ArtifactCommand {
  /** The artifact-signer of a keys directory, or a one-line error naming the file. */
  static ArtifactSigner signer(Path keys) {
    var ring = new KeyRing(keys, java.time.Clock.systemUTC());
    try {
      return new ArtifactSigner(ring.pair(KeyRole.ARTIFACT_SIGNER));
    } catch (IOException e) {
      throw new UserException(Flotilla.FAILURE, "read artifact-signer key '"
          + ring.privateKey(KeyRole.ARTIFACT_SIGNER) + "': " + (e instanceof java.nio.file.NoSuchFileException
              ? "no such file" : e.getMessage()) + "; pass --keys with the directory 'flotilla keys init' wrote");
    }
  }
}
