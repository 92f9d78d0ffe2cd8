package dev.flotilla.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Everything Output writes reaches the stream at once, on a writer buffered as picocli's are. */
class OutputTest {
  record Row(String name, int count) {}

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Output output = new Output(new PrintWriter(new BufferedWriter(new OutputStreamWriter(bytes,
      StandardCharsets.UTF_8)), true));

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textWithoutANewlineIsFlushedAndEnded() {
    output.text("# a.yaml\nkind: Device");

    assertThat(written()).isEqualTo("# a.yaml\nkind: Device\n");
  }

  @Test
  void valuesAreWrittenAsJsonYamlOrTheCommandsText() {
    var rows = List.of(new Row("a", 1));

    output.value(OutputFormat.Format.JSON, rows, out -> out.print("unused"));
    output.value(OutputFormat.Format.YAML, rows, out -> out.print("unused"));
    output.value(OutputFormat.Format.TEXT, rows, out -> out.print("a 1"));

    assertThat(written()).isEqualTo("""
        [ {
          "name" : "a",
          "count" : 1
        } ]
        - name: "a"
          count: 1
        a 1""");
  }
}
