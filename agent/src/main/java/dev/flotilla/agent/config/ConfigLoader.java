package dev.flotilla.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.schema.Location;
import dev.flotilla.schema.Problem;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the agent's local configuration: YAML → schema → binding, then the defaults for a real device
 * ({@code hostRoot: /}, {@code procRoot: /proc}, the system bus, a 60 s poll). Throws {@link ConfigException} with
 * every problem, located, when the file is unreadable or invalid.
 */
public final class ConfigLoader {
  public static final String DEFAULT_DBUS = "unix:path=/run/dbus/system_bus_socket";

  private final YamlReader reader = new YamlReader();
  private final SchemaValidator validator = new SchemaValidator();
  private final ObjectMapper binder = new ObjectMapper();

  /** Every problem with an agent config file. */
  public static final class ConfigException extends Exception {
    private final List<Problem> problems;

    ConfigException(List<Problem> problems) {
      super(problems.size() == 1 ? problems.getFirst().toString()
          : problems.size() + " problems, the first: " + problems.getFirst());
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  public AgentConfig load(Path file) throws ConfigException {
    var name = file.toString();
    byte[] bytes;
    try {
      if (Files.size(file) > YamlReader.MAX_BYTES) {
        throw new ConfigException(List.of(Problem.error(name, Location.UNKNOWN, "",
            "config file is larger than " + (YamlReader.MAX_BYTES >> 20) + " MiB", "")));
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(Problem.error(name, Location.UNKNOWN, "",
          "read agent config: no such file", "create it; its fields are described in schemas/agent-config.yaml")));
    } catch (IOException e) {
      throw new ConfigException(List.of(Problem.error(name, Location.UNKNOWN, "",
          "read agent config: " + e.getMessage(), "")));
    }
    try {
      var tree = reader.read(bytes);
      var problems = validator.validate(name, "agent-config.yaml", tree);
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return withDefaults(binder.treeToValue(tree, AgentConfig.class));
    } catch (DocumentException e) {
      throw new ConfigException(List.of(Problem.error(name, e.location(), "", e.getMessage(), e.hint())));
    } catch (IOException e) {
      throw new ConfigException(List.of(Problem.error(name, Location.START, "",
          "bind agent config: " + e.getMessage(), "")));
    }
  }

  private static AgentConfig withDefaults(AgentConfig config) {
    if (config.getHostRoot() == null) {
      config.setHostRoot("/");
    }
    if (config.getProcRoot() == null) {
      config.setProcRoot("/proc");
    }
    if (config.getDbusAddress() == null) {
      config.setDbusAddress(DEFAULT_DBUS);
    }
    if (config.getPollInterval() == null) {
      config.setPollInterval("60s");
    }
    return config;
  }
}
