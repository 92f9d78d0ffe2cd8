package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {
  @TempDir
  Path out;

  @Test
  void exportsEverySchema() throws IOException {
    var run = Run.flotilla("schema", "export", out.toString());

    try (var sources = Files.list(Run.HOME.resolve("schemas"))) {
      var expected = sources.map(p -> p.getFileName().toString()).sorted().toList();
      try (var written = Files.list(out)) {
        assertThat(written.map(p -> p.getFileName().toString()).sorted()).containsExactlyElementsOf(expected);
      }
      assertThat(run).isEqualTo(new Run(0, "wrote " + expected.size() + " schemas to " + out + "\n", ""));
    }
    assertThat(Files.readString(out.resolve("device.yaml")))
        .isEqualTo(Files.readString(Run.HOME.resolve("schemas/device.yaml")));
  }
}
