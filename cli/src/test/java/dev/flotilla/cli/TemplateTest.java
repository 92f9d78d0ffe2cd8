package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example fleet engineers copy: editor modelines resolve, and every team's folder has an owner. */
class TemplateTest {
  static final Path TEMPLATE = Run.HOME.resolve("fleet-repo-template");
  static final Pattern MODELINE = Pattern.compile("^# yaml-language-server: \\$schema=(\\S+)$");
  static final Pattern KIND = Pattern.compile("(?m)^kind: (\\w+)$");

  static List<Path> yamlFiles() throws IOException {
    try (Stream<Path> files = Files.walk(TEMPLATE)) {
      return files.filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !TEMPLATE.relativize(f).startsWith(".flotilla"))
          .filter(f -> !TEMPLATE.relativize(f).startsWith(".github"))
          .sorted().toList();
    }
  }

  @Test
  void everyDocumentNamesTheSchemaOfItsKind() throws IOException {
    var files = yamlFiles();
    assertThat(files).hasSizeGreaterThan(20);
    for (var file : files) {
      var text = Files.readString(file);
      var modeline = MODELINE.matcher(text.lines().findFirst().orElse(""));
      assertThat(modeline.matches()).as("first line of %s", file).isTrue();
      var schema = file.getParent().resolve(modeline.group(1)).normalize();
      assertThat(schema).as("schema of %s", file).isRegularFile();

      var kind = KIND.matcher(text);
      assertThat(kind.find()).as("kind of %s", file).isTrue();
      var title = Files.readAllLines(schema).stream().filter(l -> l.startsWith("title: ")).findFirst().orElseThrow();
      assertThat(title).as("schema of %s", file).isEqualTo("title: " + kind.group(1));
    }
  }

  @Test
  void everyTenantFolderHasCodeOwners() throws IOException {
    var owners = Files.readAllLines(TEMPLATE.resolve(".github/CODEOWNERS"));
    try (Stream<Path> tenants = Files.list(TEMPLATE.resolve("tenants"))) {
      for (var tenant : tenants.toList()) {
        var folder = "/tenants/" + tenant.getFileName() + "/";
        assertThat(owners).as("CODEOWNERS").anyMatch(line -> line.startsWith(folder + " "));
      }
    }
  }

  @Test
  void pullRequestWorkflowRunsStrictValidationWithAnnotations() throws IOException {
    var workflow = Files.readString(TEMPLATE.resolve(".github/workflows/validate.yml"));

    assertThat(workflow).contains("pull_request").contains("validate . --strict --output github");
  }
}
