package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.model.Weekday;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A clock at the edges of maintenance windows, in their own time zones. */
class MaintenanceWindowsTest {
  static MaintenanceWindow window(String start, String end, String zone, Weekday... days) {
    var w = new MaintenanceWindow();
    w.setStart(start);
    w.setEnd(end);
    w.setTimeZone(zone);
    w.setDays(new java.util.LinkedHashSet<>(List.of(days)));
    return w;
  }

  static final MaintenanceWindow NIGHT = window("02:00", "05:00", "Europe/Berlin", Weekday.MON, Weekday.TUE);
  static final MaintenanceWindow LATE = window("22:00", "02:00", "America/New_York", Weekday.FRI);

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      // 2026-11-24 is a Tuesday; Berlin is UTC+1 in November.
      "night, 2026-11-24T00:59:59Z, false",
      "night, 2026-11-24T01:00:00Z, true",   // 02:00 Berlin opens
      "night, 2026-11-24T03:59:59Z, true",
      "night, 2026-11-24T04:00:00Z, false",  // 05:00 Berlin closes
      "night, 2026-11-25T01:30:00Z, false",  // Wednesday is not a window day
      "night, 2026-11-23T01:30:00Z, true",   // Monday
      "night, 2026-07-21T00:30:00Z, true",   // summer: UTC+2, 02:30 Berlin on a Tuesday
      "night, 2026-07-21T03:00:00Z, false",  // 05:00 Berlin in summer
      // 2026-11-27 is a Friday; New York is UTC-5.
      "late, 2026-11-28T02:59:59Z, false",   // Fri 21:59:59
      "late, 2026-11-28T03:00:00Z, true",    // Fri 22:00 opens
      "late, 2026-11-28T06:59:59Z, true",    // Sat 01:59:59, the window of Friday still open
      "late, 2026-11-28T07:00:00Z, false",   // Sat 02:00 closes
      "late, 2026-11-29T04:00:00Z, false",   // Sat 23:00: Saturday has no window
  })
  void opensAtStartAndClosesAtEnd(String name, String at, boolean open) {
    var window = name.equals("night") ? NIGHT : LATE;
    assertThat(MaintenanceWindows.open(List.of(window), Instant.parse(at))).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2026-11-25T12:00:00Z", "2026-11-24T01:00:00Z"})
  void noWindowsMeansAlwaysOpen(String at) {
    assertThat(MaintenanceWindows.open(List.of(), Instant.parse(at))).isTrue();
  }
}
