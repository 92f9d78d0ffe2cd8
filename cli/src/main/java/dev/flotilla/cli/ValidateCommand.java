package dev.flotilla.cli;

import dev.flotilla.cli.console.ProblemFormat;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla validate [DIR]}: checks a fleet repo and reports every problem in one run. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check a fleet repo: YAML, schemas, layout, references, selectors, policy conflicts, waves.",
        "Exit 0 when valid, 1 when there are problems, 2 on usage errors."})
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "DIR",
      description = "The fleet repo to check (default: the current directory).")
  Path directory;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
      description = "text, json or github (workflow annotations).")
  String output;

  @Option(names = "--strict", description = "Fail on warnings too.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    var format = parseFormat(output);
    if (!Files.isDirectory(directory)) {
      throw new Flotilla.UserException(Flotilla.USAGE, "validate '" + directory + "': "
          + (Files.exists(directory) ? "not a directory" : "no such directory") + "; pass the fleet repo's root");
    }
    if (!Files.exists(directory.resolve("fleet.yaml")) && !Files.isDirectory(directory.resolve("tenants"))) {
      // not a fleet repo at all: one line, not a problem for every file under it
      throw new Flotilla.UserException(Flotilla.USAGE, "validate '" + directory + "': no fleet.yaml and no tenants/"
          + " here, so it is not a fleet repo; pass the repo's root, or start one from fleet-repo-template");
    }
    var report = new FleetValidator(Clock.systemUTC()).validate(new DirectoryTree(directory));
    var out = spec.commandLine().getOut();
    format.print(report, strict, out);
    out.flush();
    return report.valid(strict) ? Flotilla.OK : Flotilla.FAILURE;
  }

  static ProblemFormat parseFormat(String output) {
    try {
      return ProblemFormat.valueOf(output.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Flotilla.UserException(Flotilla.USAGE, "unknown output format '" + output + "'; use one of "
          + String.join(", ", ProblemFormat.names()));
    }
  }
}
