package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.auth.ClaimTokens;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code flotilla token create|revoke}: claim tokens, of which only the sha256 is committed. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create and revoke claim tokens.",
    subcommands = {TokenCreateCommand.class, TokenRevokeCommand.class})
final class TokenCommand {
  static String rootFingerprint(CheckoutOptions checkout, dev.flotilla.git.CommitTree head) throws IOException {
    var root = checkout.read(head, "trust/root.json").orElseThrow(() -> new UserException(
        Flotilla.FAILURE, "read 'trust/root.json': not in HEAD; run 'flotilla keys init' and commit it"));
    try {
      return ClaimTokens.rootFingerprint(TrustRoots.parse(root.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (TrustException e) {
      throw new UserException(Flotilla.FAILURE, "read 'trust/root.json': " + e.getMessage());
    }
  }
}
