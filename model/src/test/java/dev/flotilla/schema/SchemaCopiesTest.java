package dev.flotilla.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the repository holds that is made from {@code schemas/}: the fleet repo reference {@code docs/fleet-repo.md}
 * and the template's own copy of the schemas, {@code fleet-repo-template/.flotilla/schemas} (real files, so a copy
 * of the template is self-contained and its modelines resolve). Each fails when it differs from what the schemas
 * give; run with {@code -Dflotilla.golden.update=true} to write both again, then review the diff.
 */
class SchemaCopiesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SCHEMAS = ROOT.resolve("schemas");
  static final Path REFERENCE = ROOT.resolve("docs/fleet-repo.md");
  static final Path TEMPLATE_SCHEMAS = ROOT.resolve("fleet-repo-template/.flotilla/schemas");
  static final boolean UPDATE = Boolean.getBoolean("flotilla.golden.update");

  @Test
  void fleetRepoReferenceIsWhatTheSchemasSay() throws IOException {
    var expected = FleetRepoReference.render(SCHEMAS);
    if (UPDATE) {
      Files.createDirectories(REFERENCE.getParent());
      Files.writeString(REFERENCE, expected);
    }

    assertThat(REFERENCE).as("docs/fleet-repo.md; to write it again, run this test with "
        + "-Dflotilla.golden.update=true").hasContent(expected);
  }

  @Test
  void templateHoldsTheSchemasAsFiles() throws IOException {
    if (UPDATE) {
      copySchemas();
    }

    assertThat(TEMPLATE_SCHEMAS).as("fleet-repo-template/.flotilla/schemas").isDirectory();
    assertThat(Files.isSymbolicLink(TEMPLATE_SCHEMAS)).as("a link dangles in any copy of the template").isFalse();
    assertThat(names(TEMPLATE_SCHEMAS)).isEqualTo(names(SCHEMAS));
    for (var name : names(SCHEMAS)) {
      assertThat(TEMPLATE_SCHEMAS.resolve(name)).as("the template's %s; to copy the schemas again, run this test "
          + "with -Dflotilla.golden.update=true", name).hasSameBinaryContentAs(SCHEMAS.resolve(name));
    }
  }

  @Test
  void referenceListsEveryKindAndEveryField() {
    var reference = FleetRepoReference.render(SCHEMAS);

    assertThat(reference).contains("| `tenants/<tenant>/devices/<name>.yaml` | [Device](#device) |")
        .contains("\n## ClaimToken\n").contains("\n## DesiredState\n").contains("\n## Value types\n")
        .contains("| `spec.channel` | `dev`, `canary`, `prod` | yes |")
        .contains("| `metadata` | [Metadata](#metadata) | yes |")
        .contains("| `spec.pins[].version` | [version](#value-types) | yes |");
  }

  private static void copySchemas() throws IOException {
    if (Files.isSymbolicLink(TEMPLATE_SCHEMAS)) {
      Files.delete(TEMPLATE_SCHEMAS);
    }
    Files.createDirectories(TEMPLATE_SCHEMAS);
    for (var name : names(TEMPLATE_SCHEMAS)) {
      Files.delete(TEMPLATE_SCHEMAS.resolve(name));
    }
    for (var name : names(SCHEMAS)) {
      Files.copy(SCHEMAS.resolve(name), TEMPLATE_SCHEMAS.resolve(name));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
