package dev.flotilla.cli;

import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code flotilla token revoke ID}: the token enrols no more devices. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Mark claim token ID revoked: it enrols no more devices.")
final class TokenRevokeCommand extends EditById {
  @Override
  public Integer call() throws IOException {
    var head = checkout.head();
    var path = CheckoutOptions.find(head, "claim-tokens", id, "claim token");
    var text = YamlEdit.of(checkout.read(head, path).orElseThrow()).set("spec.revoked", true).text();
    var where = checkout.commit(new FleetEdit("revoke claim token '" + id + "'", Map.of(path, text)),
        "token " + id + ": revoke");
    Output.of(spec).line("revoked claim token '" + id + "'; " + where);
    return Flotilla.OK;
  }
}
