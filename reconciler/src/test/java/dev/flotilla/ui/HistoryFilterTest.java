package dev.flotilla.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.history.EventKind;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryFilterTest {
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void readsEveryFilter() {
    var filter = HistoryFilter.parse(Map.of("tenant", "acme", "device", " k1 ", "kind", "receipt", "since", "1h",
        "until", "2026-12-07T11:30:00Z"), NOW);
    var query = filter.query(100);
    assertThat(filter.error()).isNull();
    assertThat(query.tenant()).isEqualTo("acme");
    assertThat(query.device()).isEqualTo("k1");
    assertThat(query.kinds()).isEqualTo(Set.of(EventKind.RECEIPT));
    assertThat(query.since()).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
    assertThat(query.until()).isEqualTo(Instant.parse("2026-12-07T11:30:00Z"));
  }

  @Test
  void aFormsLocalTimeIsUtcAndBlankFieldsDoNotFilter() {
    var filter = HistoryFilter.parse(Map.of("tenant", "", "since", "2026-12-07T10:15"), NOW);
    assertThat(filter.query(10).tenant()).isNull();
    assertThat(filter.since()).isEqualTo(Instant.parse("2026-12-07T10:15:00Z"));
  }

  @Test
  void badValuesAreSaidNotThrown() {
    assertThat(HistoryFilter.parse(Map.of("kind", "heartbeat"), NOW).error())
        .isEqualTo("filter history: unknown kind 'heartbeat'");
    assertThat(HistoryFilter.parse(Map.of("until", "yesterday"), NOW).error())
        .isEqualTo("filter history: 'yesterday' is not a time; use 2026-12-07T10:00:00Z or a duration back from "
            + "now, such as 1h");
  }
}
