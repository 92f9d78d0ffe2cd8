package dev.flotilla.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEveryUnitAndCombinations() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void refusesTextWithoutUnitNamingTheForm() {
    assertThatThrownBy(() -> Durations.parse("30"))
        .hasMessage("duration '30': use a number and a unit, such as 30s, 5m, 1h30m, 7d");
    assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsTheShortestTextThatParsesBack() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.parse(Durations.format(Duration.ofDays(30)))).isEqualTo(Duration.ofDays(30));
  }
}
