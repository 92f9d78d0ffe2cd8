package dev.flotilla.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each event is one line with time, level, component and message; JSON lines parse; nothing is written twice. */
class LogFormatTest {
  static final Instant AT = Instant.parse("2026-12-08T00:00:00Z");
  Handler[] saved;

  @BeforeEach
  void save() {
    saved = Logger.getLogger("").getHandlers();
  }

  @AfterEach
  void restore() {
    var root = Logger.getLogger("");
    for (var handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    for (var handler : saved) {
      root.addHandler(handler);
    }
  }

  @Test
  void textIsOneLineEvenForAMessageWithLineBreaks() {
    assertThat(LogFormat.TEXT.line(AT, "WARN", "reconciler", "refuse commit:\nbad"))
        .isEqualTo("2026-12-08T00:00:00Z WARN reconciler: refuse commit:\\nbad");
  }

  @Test
  void jsonIsOneObjectPerLine() throws Exception {
    var line = LogFormat.JSON.line(AT, "INFO", "tls", "reload \"x\"\n\tdone");

    assertThat(line).doesNotContain("\n");
    var node = new ObjectMapper().readTree(line);
    assertThat(node.get("message").asText()).isEqualTo("reload \"x\"\n\tdone");
    assertThat(node.get("level").asText()).isEqualTo("INFO");
    assertThat(node.get("component").asText()).isEqualTo("tls");
    assertThat(node.get("time").asText()).isEqualTo("2026-12-08T00:00:00Z");
  }

  @Test
  void installedLoggingWritesEachEventOnceWithItsLevelAndComponent() throws Exception {
    var bytes = new ByteArrayOutputStream();
    Logging.install(LogFormat.JSON, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Logging.install(LogFormat.JSON, new PrintStream(bytes, true, StandardCharsets.UTF_8)); // twice: still once

    System.getLogger("flotilla.reconciler").log(System.Logger.Level.WARNING, "refuse commit: bad");
    Logging.sink("agent").accept("applied version 7");
    System.getLogger("flotilla.reconciler").log(System.Logger.Level.DEBUG, "not shown");

    var lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2).doesNotHaveDuplicates();
    var mapper = new ObjectMapper();
    assertThat(mapper.readTree(lines.get(0)).get("level").asText()).isEqualTo("WARN");
    assertThat(mapper.readTree(lines.get(0)).get("component").asText()).isEqualTo("reconciler");
    assertThat(mapper.readTree(lines.get(1)).get("component").asText()).isEqualTo("agent");
    assertThat(mapper.readTree(lines.get(1)).get("message").asText()).isEqualTo("applied version 7");
  }
}
