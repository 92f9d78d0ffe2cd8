package dev.flotilla.fleet.edit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden diffs: each directory under {@code src/test/resources/yaml-edit/} has {@code input.yaml}, {@code edits.txt}
 * (one edit a line: {@code set|remove|append PATH [JSON]}, PATH dotted or a JSON array of keys) and either
 * {@code expected.yaml} (the exact text after the edits) or {@code expected.error} (the exact message). The result
 * must also still parse as YAML. Run with {@code -Dflotilla.golden.update=true} to rewrite the expectations, then
 * review the diff.
 */
class YamlEditGoldenTest {
  static final Path CASES = Path.of("src/test/resources/yaml-edit");
  static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() throws IOException {
    try (var dirs = Files.list(CASES)) {
      return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void editsOnlyTheLinesItTouches(String name) throws IOException {
    var dir = CASES.resolve(name);
    String actual;
    Path expected;
    try {
      actual = apply(Files.readString(dir.resolve("input.yaml")), Files.readAllLines(dir.resolve("edits.txt")));
      expected = dir.resolve("expected.yaml");
      new YAMLMapper().readTree(actual);
    } catch (IllegalArgumentException e) {
      actual = e.getMessage() + "\n";
      expected = dir.resolve("expected.error");
    }
    if (Boolean.getBoolean("flotilla.golden.update")) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
    }
    assertThat(expected).exists();
    assertThat(actual).isEqualTo(Files.readString(expected));
  }

  static String apply(String input, List<String> edits) throws IOException {
    var edit = YamlEdit.of(input);
    for (var line : edits) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      var parts = line.split(" ", 3);
      var path = parts[1].startsWith("[") ? JSON.readValue(parts[1], new TypeReference<List<String>>() {})
          : YamlEdit.path(parts[1]);
      edit = switch (parts[0]) {
        case "set" -> edit.set(path, JSON.readValue(parts[2], Object.class));
        case "remove" -> edit.remove(path);
        case "append" -> edit.append(path, JSON.readValue(parts[2], new TypeReference<Map<String, Object>>() {}));
        default -> throw new IOException("unknown edit '" + parts[0] + "'");
      };
    }
    return edit.text();
  }
}
