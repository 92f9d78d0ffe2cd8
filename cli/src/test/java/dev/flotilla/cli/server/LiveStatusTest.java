package dev.flotilla.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LiveStatusTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void columnsShowVersionsAgeAndCompliance() {
    var behind = new LiveStatus(7L, 6L, NOW.minusSeconds(12), "True", "ApplySucceeded", 3, 3, null);
    assertThat(behind.version()).isEqualTo("6->7");
    assertThat(behind.lastSeen(NOW)).isEqualTo("12s ago");
    assertThat(behind.compliance()).isEqualTo("3/3");

    var failing = new LiveStatus(7L, 7L, NOW.minusSeconds(3 * 3600), "False", "ApplyFailed", 1, 3, "unit kiosk-ui.service: failed");
    assertThat(failing.version()).isEqualTo("7");
    assertThat(failing.lastSeen(NOW)).isEqualTo("3h ago");
    assertThat(failing.compliance()).isEqualTo("ApplyFailed");

    var silent = new LiveStatus(7L, null, null, null, null, null, null, null);
    assertThat(silent.version()).isEqualTo("?->7");
    assertThat(silent.lastSeen(NOW)).isEqualTo("-");
    assertThat(silent.compliance()).isEqualTo("-");
  }
}
