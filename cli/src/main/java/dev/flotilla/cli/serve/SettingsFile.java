package dev.flotilla.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.cli.console.UserException;
import dev.flotilla.model.ReconcilerSettings;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.Location;
import dev.flotilla.schema.Problem;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the reconciler's config file ({@code schemas/reconciler-config.yaml}) as fleet files are read: YAML that
 * refuses duplicate keys and aliases, then the schema, then binding. Any problem is a {@link UserException} (exit
 * code 2) with one {@code file:line:column: error: …} line per problem.
 */
public final class SettingsFile {
  public static final Path DEFAULT = Path.of("/etc/flotilla/reconciler.yaml");
  static final String SCHEMA = "reconciler-config.yaml";

  private SettingsFile() {}

  /** The settings in {@code file}, checked. */
  public static ReconcilerSettings read(Path file) {
    var name = file.toString();
    byte[] bytes;
    try {
      if (Files.size(file) > YamlReader.MAX_BYTES) {
        throw refused(List.of(Problem.error(name, Location.UNKNOWN, "", "config file is larger than "
            + (YamlReader.MAX_BYTES >> 20) + " MiB", "")));
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserException(ExitCodes.USAGE, "read reconciler config '" + file + "': "
          + dev.flotilla.io.Failures.describe(e));
    }
    try {
      var tree = new YamlReader().read(bytes);
      if (tree.isNull() || tree.isMissingNode()) {
        return new ReconcilerSettings();
      }
      var problems = new SchemaValidator().validate(name, SCHEMA, tree);
      if (!problems.isEmpty()) {
        throw refused(problems);
      }
      return new ObjectMapper().treeToValue(tree, ReconcilerSettings.class);
    } catch (DocumentException e) {
      throw refused(List.of(Problem.error(name, e.location(), "", e.getMessage(), e.hint())));
    } catch (IOException e) {
      throw refused(List.of(Problem.error(name, Location.START, "", "bind reconciler config: " + e.getMessage(),
          "")));
    }
  }

  private static UserException refused(List<Problem> problems) {
    return new UserException(ExitCodes.USAGE, problems.stream().sorted(Problem.ORDER).map(Problem::toString)
        .collect(Collectors.joining("\n")));
  }
}
