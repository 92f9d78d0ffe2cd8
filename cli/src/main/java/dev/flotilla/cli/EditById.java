package dev.flotilla.cli;

import dev.flotilla.cli.fleet.CheckoutOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the commands that act on one named thing in the fleet checkout share: the command's spec (for its output),
 * the {@code --repo}/{@code --branch} options of {@link CheckoutOptions}, and the thing's ID as the one parameter.
 */
abstract class EditById implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CheckoutOptions checkout;

  @Parameters(index = "0", paramLabel = "ID")
  String id;
}
