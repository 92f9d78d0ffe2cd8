package dev.flotilla.fleet.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.schema.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever string {@link YamlEdit} is given, as a value or as a key, the file reads back with that string in that
 * place and nothing else: no key, document or comment can be smuggled in, and no character is lost.
 */
class HostileValuesTest {
  static final String HEADER = "# a comment\napiVersion: flotilla.dev/v1\nkind: Device\n";

  static Stream<String> hostile() {
    return Stream.of(
        "kiosk\nmetadata:\n  labels:\n    role: pos\n#",
        "kiosk\n  x: 1\nspec:\n  state:\n    files: []\n",
        "a\nb\u0085metadata:\n  labels: {role: pos}",
        "a\nb\u2028spec: {x: 1}",
        "a\nb\u2029---\nkind: Policy",
        "a\r\nspec: {}",
        "x\n y\n",
        "\n  indented: later",
        "two trailing\n\n",
        "---\nkind: Policy",
        "...",
        "# not a comment",
        "a #b: c",
        "\"quoted\" and 'single'",
        "key: value",
        "- item",
        "{flow: map}",
        "[flow, list]",
        "&anchor value",
        "*alias",
        "!!binary AAAA",
        "%YAML 1.1",
        "tab\there",
        "nul\u0000bell\u0007esc\u001bdel\u007fc1\u0085\u009f",
        "bom\ufeffinside",
        "caf\u00e9 \u30ad\u30aa\u30b9\u30af \ud83d\udea2",
        "yes",
        "0755",
        "1.10",
        "~",
        " leading and trailing ",
        "x".repeat(10_000),
        ("line\n").repeat(2_000));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void valueReadsBackAsItselfAndNothingElse(String value) throws Exception {
    var text = YamlEdit.of(HEADER).set("metadata.name", "kiosk").set("metadata.annotations", Map.of("note", value))
        .set("spec.channel", value).text();

    var expected = new ObjectMapper().createObjectNode().put("apiVersion", "flotilla.dev/v1").put("kind", "Device");
    expected.putObject("metadata").put("name", "kiosk").putObject("annotations").put("note", value);
    expected.putObject("spec").put("channel", value);
    assertThat(new YamlReader().read(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void keyReadsBackAsItselfAndNothingElseOrIsRefused(String key) throws Exception {
    if (key.length() > YamlScalars.MAX_KEY) {
      assertThatThrownBy(() -> YamlEdit.of(HEADER).set("metadata.labels", Map.of(key, "v")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("edit: a key of ");
      return;
    }
    var text = YamlEdit.of(HEADER).set("metadata.labels", Map.of(key, "v")).text();

    var expected = new ObjectMapper().createObjectNode().put("apiVersion", "flotilla.dev/v1").put("kind", "Device");
    expected.putObject("metadata").putObject("labels").put(key, "v");
    assertThat(new YamlReader().read(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(expected);
  }
}
