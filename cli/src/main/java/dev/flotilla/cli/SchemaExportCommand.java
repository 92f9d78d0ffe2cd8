package dev.flotilla.cli;

import dev.flotilla.output.Output;
import dev.flotilla.schema.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
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

  @Override
  public Integer call() throws IOException {
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
}
