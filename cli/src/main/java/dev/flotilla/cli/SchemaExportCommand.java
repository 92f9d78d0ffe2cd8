package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.output.Output;
import dev.flotilla.schema.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write every schema into DIR (such as .flotilla/schemas of a fleet repo).")
final class SchemaExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "Where to write the schemas.")
  Path directory;

  /** Writes every schema, replacing the files of the same names; a directory of the same schemas stays as it is. */
  @Override
  public Integer call() throws IOException {
    refuseNonDirectory(directory);
    Files.createDirectories(directory);
    List<String> names = SchemaValidator.schemaFiles();
    for (var name : names) {
      try (var in = SchemaValidator.openSchema(name)) {
        Files.write(directory.resolve(name), in.readAllBytes());
      }
    }
    Output.of(spec).line("wrote " + names.size() + " schemas to " + directory);
    return Flotilla.OK;
  }

  /** A file, or a link to nowhere (a copied template's old link), where the directory must be: say what to do. */
  private static void refuseNonDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory) || !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    var what = Files.isSymbolicLink(directory)
        ? "it is a link to '" + Files.readSymbolicLink(directory) + "', which does not exist; remove the link"
        : "it is a file, not a directory; remove it";
    throw new UserException(Flotilla.FAILURE, "export schemas to '" + directory + "': " + what
        + ", then run 'flotilla schema export " + directory + "' again");
  }
}
