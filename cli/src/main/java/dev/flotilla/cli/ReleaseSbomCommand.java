package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.release.TreeSbom;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla release sbom}: the CycloneDX SBOM of a package's install tree. */
@Command(name = "sbom", mixinStandardHelpOptions = true, description = "Write the CycloneDX 1.6 SBOM of an install"
    + " tree: its jars with their Maven coordinates, its Java runtime with its modules, every other file.")
final class ReleaseSbomCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--name", required = true, description = "The package's name.")
  String name;

  @Option(names = "--package-version", required = true, description = "The package's version.")
  String version;

  @Option(names = "--tree", required = true, paramLabel = "DIR", description = "The files as they are installed.")
  Path tree;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the SBOM.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(tree)) {
      throw new UserException(Flotilla.FAILURE, "read install tree '" + tree + "': not a directory");
    }
    Files.write(out, TreeSbom.of(name, version, tree));
    Output.of(spec).line("wrote SBOM of " + name + " " + version + " to " + out);
    return Flotilla.OK;
  }
}
