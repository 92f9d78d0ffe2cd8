package dev.flotilla.cli;

import dev.flotilla.schema.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code flotilla schema export DIR}: writes the schemas, so editors can validate fleet files as you type. */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "Work with the fleet schemas.",
    subcommands = SchemaCommand.Export.class)
final class SchemaCommand {

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write every schema into DIR (such as .flotilla/schemas of a fleet repo).")
  static final class Export implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Where to write the schemas.")
    Path directory;

    @Override
    public Integer call() throws IOException {
      Files.createDirectories(directory);
      List<String> names = SchemaValidator.schemaFiles();
      for (var name : names) {
        try (var in = SchemaValidator.openSchema(name)) {
          Files.write(directory.resolve(name), in.readAllBytes());
        }
      }
      spec.commandLine().getOut().println("wrote " + names.size() + " schemas to " + directory);
      return Flotilla.OK;
    }
  }
}
