package dev.flotilla.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.schema.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void appliesDefaultsForARealDevice() throws Exception {
    var file = Files.writeString(dir.resolve("agent.yaml"),
        "server: https://flotilla.example.com:8443\nstateDir: /var/lib/flotilla\n");

    var config = new ConfigLoader().load(file);

    assertThat(config.getServer()).hasToString("https://flotilla.example.com:8443");
    assertThat(config.getHostRoot()).isEqualTo("/");
    assertThat(config.getProcRoot()).isEqualTo("/proc");
    assertThat(config.getDbusAddress()).isEqualTo("unix:path=/run/dbus/system_bus_socket");
    assertThat(config.getPollInterval()).isEqualTo("60s");
  }

  @Test
  void reportsEveryProblemWithItsLine() throws IOException {
    var file = Files.writeString(dir.resolve("agent.yaml"),
        "server: https://flotilla.example.com\nstateDir: var/lib/flotilla\nallowedPaths: [/etc/../root]\n");

    assertThatThrownBy(() -> new ConfigLoader().load(file))
        .isInstanceOfSatisfying(ConfigLoader.ConfigException.class, e -> assertThat(e.problems())
            .extracting(Problem::toString).containsExactly(
                file + ":2:11: error: stateDir: 'var/lib/flotilla' is a relative path; "
                    + "use an absolute path, such as '/var/lib/flotilla'",
                file + ":3:16: error: allowedPaths[0]: '/etc/../root' has a '.' or '..' segment; "
                    + "write the normalised absolute path; a file may not escape its directory"));
  }

  @Test
  void reportsAMissingFile() {
    assertThatThrownBy(() -> new ConfigLoader().load(dir.resolve("nope.yaml")))
        .hasMessage(dir.resolve("nope.yaml") + ": error: read agent config: no such file; "
            + "create it; its fields are described in schemas/agent-config.yaml");
  }

  @Test
  void reportsBrokenYaml() throws IOException {
    var file = Files.writeString(dir.resolve("agent.yaml"), "server: x\nserver: y\n");

    assertThatThrownBy(() -> new ConfigLoader().load(file))
        .hasMessage(file + ":2:7: error: duplicate key 'server'; a key may appear once per mapping; "
            + "keep one and delete the other");
  }
}
