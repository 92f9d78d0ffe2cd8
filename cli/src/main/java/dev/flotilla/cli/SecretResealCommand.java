package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.cli.secret.SealTargets;
import dev.flotilla.cli.secret.SecretFile;
import dev.flotilla.cli.secret.SecretInput;
import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.output.Output;
import dev.flotilla.schema.DocumentException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla secret reseal NAME}: seals the value again for the devices whose key changed since it was
 * sealed for them. It needs the value again (it never decrypts: nothing here can) and cannot tell whether it is the
 * same value; devices whose key did not change keep theirs.
 */
@Command(name = "reseal", mixinStandardHelpOptions = true,
    description = "Seal secret NAME again, from the value, for the devices whose key changed.")
final class SecretResealCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Mixin
  SecretInput input;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--tenant", paramLabel = "T", description = "The secret's tenant, when several have one so named.")
  String tenant;

  @Override
  public Integer call() throws IOException {
    var head = checkout.head();
    var path = tenant != null ? SecretFile.path(tenant, name)
        : CheckoutOptions.find(head, "secrets", name, "secret");
    var text = checkout.read(head, path).orElseThrow(() -> new UserException(Flotilla.FAILURE,
        "reseal secret '" + name + "': no " + path + " in HEAD; seal it with 'flotilla secret seal'"));
    SecretFile file;
    try {
      file = SecretFile.parse(path.split("/")[1], name, text);
    } catch (DocumentException e) {
      throw new UserException(Flotilla.FAILURE, "read '" + path + "': " + e.getMessage());
    }
    var targets = SealTargets.changedKeys(new FleetLoader().load(head).snapshot(), file);
    if (targets.keys().isEmpty()) {
      Output.of(spec).line("reseal secret '" + name + "': every device's value is sealed to its current key;"
          + " nothing to do");
      return Flotilla.OK;
    }
    var value = input.read("reseal secret '" + name + "'", System.in);
    var sealed = file.sealedFor(targets, value);
    java.util.Arrays.fill(value, (byte) 0);
    var where = checkout.commit(new FleetEdit("reseal secret '" + name + "'", Map.of(path, sealed.text())),
        "secret " + name + ": reseal serial " + sealed.serial() + " for " + targets.keys().size()
            + " device(s) whose key changed");
    Output.of(spec).line("resealed secret '" + name + "' (serial " + sealed.serial() + ") for "
        + listed(targets.names()) + ", whose key changed; " + where);
    return Flotilla.OK;
  }

  /** {@code device 'a'}, or {@code 3 devices (a, b, c)}, or {@code 12 devices (a, b, c, …)}. */
  static String listed(List<String> names) {
    if (names.size() == 1) {
      return "device '" + names.getFirst() + "'";
    }
    var shown = String.join(", ", names.subList(0, Math.min(3, names.size())));
    return names.size() + " devices (" + shown + (names.size() > 3 ? ", …" : "") + ")";
  }
}
