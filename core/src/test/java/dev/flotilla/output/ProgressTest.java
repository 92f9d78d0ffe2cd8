package dev.flotilla.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress shows only on a terminal: tests, pipes and CI logs get nothing. */
class ProgressTest {
  @Test
  void writesNothingWhenNotOnATerminal() {
    var err = new StringWriter();

    try (var progress = Progress.onTerminal(new PrintWriter(err, true), "flotilla: validating '.'")) {
      assertThat(progress.shown()).isFalse();
    }

    assertThat(err.toString()).isEmpty();
  }
}
