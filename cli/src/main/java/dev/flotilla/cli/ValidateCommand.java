package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ProblemFormat;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.output.Output;
import dev.flotilla.output.Progress;
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

/**
 * {@code flotilla validate [--repo DIR]}: checks a fleet repo and reports every problem in one run. The directory
 * given without {@code --repo} is still taken, as before, since fleet repos' CI workflows pass it so.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a fleet repo: YAML, schemas, layout, references, selectors, policy conflicts, waves.")
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--repo", paramLabel = "DIR", description = "The fleet repo to check (default: here).")
  Path repo;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "Deprecated: the fleet repo, as --repo DIR says it.")
  Path positional;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
      description = "text, json or github (workflow annotations).")
  String output;

  @Option(names = "--strict", description = "Fail on warnings too.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    var format = parseFormat(output);
    var directory = directory();
    if (!Files.isDirectory(directory)) {
      throw new UserException(Flotilla.USAGE, "validate '" + directory + "': "
          + (Files.exists(directory) ? "not a directory" : "no such directory") + "; pass the fleet repo's root");
    }
    if (!Files.exists(directory.resolve("fleet.yaml")) && !Files.isDirectory(directory.resolve("tenants"))) {
      // not a fleet repo at all: one line, not a problem for every file under it
      throw new UserException(Flotilla.USAGE, "validate '" + directory + "': no fleet.yaml and no tenants/"
          + " here, so it is not a fleet repo; pass the repo's root, or start one from fleet-repo-template");
    }
    var tree = new DirectoryTree(directory);
    FleetValidator.Report report;
    try (var progress = Progress.onTerminal(spec.commandLine().getErr(), "flotilla: validating '" + directory + "'")) {
      report = new FleetValidator(Clock.systemUTC()).validate(tree);
    }
    Output.of(spec).lines(out -> format.print(report, strict, out));
    return report.valid(strict) ? Flotilla.OK : Flotilla.FAILURE;
  }

  private Path directory() {
    if (repo != null && positional != null && !repo.equals(positional)) {
      throw new UserException(Flotilla.USAGE, "validate: --repo '" + repo + "' and DIR '" + positional
          + "' name two repos; pass --repo alone");
    }
    return repo != null ? repo : positional != null ? positional : Path.of(".");
  }

  static ProblemFormat parseFormat(String output) {
    try {
      return ProblemFormat.valueOf(output.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserException(Flotilla.USAGE, "unknown output format '" + output + "'; use one of "
          + String.join(", ", ProblemFormat.names()));
    }
  }
}
