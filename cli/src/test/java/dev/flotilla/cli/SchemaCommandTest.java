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

  @Test
  void exportsIntoTheSchemasOfACopiedTemplate() throws IOException {
    var copy = out.resolve(".flotilla/schemas");
    Files.createDirectories(copy);
    try (var files = Files.list(Run.HOME.resolve("fleet-repo-template/.flotilla/schemas"))) {
      for (var file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName().toString()));
      }
    }

    var run = Run.flotilla("schema", "export", copy.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(copy.resolve("device.yaml")).hasSameTextualContentAs(Run.HOME.resolve("schemas/device.yaml"));
  }

  @Test
  void refusesALinkToNowhereSayingWhatToDo() throws IOException {
    var link = Files.createSymbolicLink(out.resolve("schemas"), Path.of("../../schemas"));

    var run = Run.flotilla("schema", "export", link.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: export schemas to '" + link + "': it is a link to "
        + "'../../schemas', which does not exist; remove the link, then run 'flotilla schema export " + link
        + "' again\n"));
  }

  @Test
  void refusesAFileWhereTheDirectoryMustBe() throws IOException {
    var file = Files.writeString(out.resolve("schemas"), "not a directory\n");

    var run = Run.flotilla("schema", "export", file.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: export schemas to '" + file + "': it is a file, not a "
        + "directory; remove it, then run 'flotilla schema export " + file + "' again\n"));
    assertThat(file).hasContent("not a directory");
  }
}
