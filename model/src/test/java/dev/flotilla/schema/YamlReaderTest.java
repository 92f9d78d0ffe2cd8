package dev.flotilla.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  final YamlReader reader = new YamlReader();

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  void refuses(byte[] input, int line, String message, String hint) {
    assertThatThrownBy(() -> reader.read(input))
        .isInstanceOfSatisfying(DocumentException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(message);
          assertThat(e.location().line()).isEqualTo(line);
          assertThat(e.hint()).contains(hint);
        });
  }

  @Test
  void readsFieldLocations() throws Exception {
    var tree = reader.read(bytes("apiVersion: flotilla.dev/v1\nkind: Device\nmetadata:\n  name: k1\n"));
    assertThat(tree.path("metadata").path("name").asText()).isEqualTo("k1");
    assertThat(Nodes.location(tree.path("metadata").path("name"))).isEqualTo(new Location(4, 9));
  }

  @Test
  void acceptsAByteOrderMark() throws Exception {
    var tree = reader.read(bytes("\uFEFFkind: Device\n"));
    assertThat(tree.path("kind").asText()).isEqualTo("Device");
  }

  @Test
  void refusesEmptyFile() {
    refuses(new byte[0], 1, "file is empty", "apiVersion, kind, metadata and spec");
    refuses(bytes("  \n\n"), 1, "file is empty", "apiVersion, kind, metadata and spec");
  }

  @Test
  void refusesBinaryFile() {
    refuses(new byte[] {'a', '\n', 'b', 0, 1}, 2, "binary file (NUL byte at offset 3)", "artifact");
  }

  @Test
  void refusesNonUtf8() {
    refuses(new byte[] {'a', ':', ' ', 'x', '\n', 'b', ':', ' ', (byte) 0xE9, '\n'}, 2,
        "not valid UTF-8 (bad byte at offset 8)", "save the file as UTF-8");
  }

  @Test
  void refusesTabIndentation() {
    refuses(bytes("metadata:\n\tname: k1\n"), 2, "tab character used for indentation", "replace the tabs");
  }

  @Test
  void refusesDuplicateKeys() {
    refuses(bytes("kind: Device\nkind: Policy\n"), 2, "duplicate key 'kind'", "keep one");
  }

  @Test
  void refusesAliasBomb() {
    refuses(bytes("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"), 1,
        "YAML anchors and aliases are not allowed", "write the value out in full");
  }

  @Test
  void refusesDeepNesting() {
    refuses(bytes("a: " + "[".repeat(100) + "]".repeat(100) + "\n"), 1, "nesting deeper than 32 levels", "flatten");
  }

  @Test
  void refusesOversizedFile() {
    var big = new byte[50 * 1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    refuses(big, 1, "file is larger than 4 MiB", "artifact");
  }

  @Test
  void refusesSeveralDocuments() {
    refuses(bytes("kind: Device\n---\nkind: Policy\n"), 3, "file holds more than one YAML document",
        "one resource in each file");
  }

  @Test
  void refusesTopLevelList() {
    refuses(bytes("- kind: Device\n"), 1, "expected a mapping at the top of the file", "one resource");
  }

  @Test
  void refusesUnclosedFlowMapping() {
    refuses(bytes("metadata: {name: k1\n"), 2,
        "invalid YAML: while parsing a flow mapping: expected ',' or '}', but got <stream end>", "");
  }
}
