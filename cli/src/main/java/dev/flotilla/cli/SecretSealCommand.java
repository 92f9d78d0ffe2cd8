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
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla secret seal NAME}: reads a value and commits it sealed to each target device's key in
 * {@code tenants/<t>/secrets/NAME.yaml}, under a serial one above any the file holds. Never prints the value.
 */
@Command(name = "seal", mixinStandardHelpOptions = true,
    description = "Seal a value (standard input, or --from-file) to devices' keys and commit it as secret NAME.")
final class SecretSealCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Mixin
  SecretInput input;

  @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name, as policies' files name it.")
  String name;

  @ArgGroup
  Which which = new Which();

  @Option(names = "--tenant", paramLabel = "T", description = "Seal for every device of tenant T, or narrow -l to it.")
  String tenant;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the secret is for (never the value).")
  String description;

  /** At most one of these; {@code --tenant} alone picks every device of the tenant and narrows either. */
  static final class Which {
    @Option(names = "--device", paramLabel = "ID", description = "Seal for this device.")
    String device;

    @Option(names = {"-l", "--selector"}, paramLabel = "K=V,K!=V", description = "Seal for the devices whose labels"
        + " match.")
    String selector;
  }

  @Override
  public Integer call() throws IOException {
    if (which.device == null && which.selector == null && tenant == null) {
      throw new UserException(Flotilla.USAGE, "seal secret '" + name + "': name the devices with --device"
          + " ID, -l SELECTOR or --tenant T");
    }
    var value = input.read("seal secret '" + name + "'", System.in);
    var head = checkout.head();
    var snapshot = new FleetLoader().load(head).snapshot();
    var targets = SealTargets.pick(snapshot, which.device, tenant, DevicesCommand.selector(which.selector));
    var path = SecretFile.path(targets.tenant(), name);
    var existing = checkout.read(head, path);
    SecretFile file;
    try {
      file = existing.isPresent() ? SecretFile.parse(targets.tenant(), name, existing.get())
          : new SecretFile(targets.tenant(), name, null, Map.of());
    } catch (DocumentException e) {
      throw new UserException(Flotilla.FAILURE, "read '" + path + "': " + e.getMessage()
          + "; run 'flotilla validate'");
    }
    if (description != null) {
      file = new SecretFile(file.tenant(), name, description, file.devices());
    }
    var sealed = file.sealedFor(targets, value);
    java.util.Arrays.fill(value, (byte) 0);
    var edit = new FleetEdit("seal secret '" + name + "'", Map.of(path, sealed.text()))
        .flag("metadata.name", "NAME '" + name + "'").flag("spec.description", "--description");
    var where = checkout.commit(edit, "secret " + name + ": seal serial " + sealed.serial() + " for "
        + targets.keys().size() + " device(s) of tenant " + targets.tenant());
    Output.of(spec).line("sealed secret '" + name + "' (serial " + sealed.serial() + ") for "
        + SecretResealCommand.listed(targets.names()) + " of tenant '" + targets.tenant() + "'; " + where
        + (targets.keyless().isEmpty() ? "" : "\nleft out " + SecretResealCommand.listed(targets.keyless())
        + ", which have no public key yet; seal again once they have claimed"));
    return Flotilla.OK;
  }
}
