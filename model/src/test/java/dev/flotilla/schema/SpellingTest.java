package dev.flotilla.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {
  @Test
  void suggestsTheClosestWord() {
    assertThat(Spelling.closest("chanel", List.of("channel", "cordoned", "pins"))).isEqualTo("channel");
    assertThat(Spelling.closest("Priority", List.of("priority", "state"))).isEqualTo("priority");
  }

  @Test
  void suggestsNothingForUnrelatedWords() {
    assertThat(Spelling.closest("colour", List.of("channel", "pins"))).isNull();
    assertThat(Spelling.closest("ab", List.of("cd"))).isNull();
  }
}
