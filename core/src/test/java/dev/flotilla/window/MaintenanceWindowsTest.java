package dev.flotilla.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.model.Weekday;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A clock at the edges of maintenance windows, in their own time zones, across DST switches. */
class MaintenanceWindowsTest {
  static MaintenanceWindow window(String start, String end, String zone, Weekday... days) {
    var w = new MaintenanceWindow();
    w.setStart(start);
    w.setEnd(end);
    w.setTimeZone(zone);
    w.setDays(new LinkedHashSet<>(List.of(days)));
    return w;
  }

  static final MaintenanceWindow NIGHT = window("02:00", "05:00", "Europe/Berlin", Weekday.MON, Weekday.TUE);
  static final MaintenanceWindow LATE = window("22:00", "02:00", "America/New_York", Weekday.FRI);
  /** On Sundays, which is when Europe switches to and from summer time (2026-03-29 and 2026-10-25). */
  static final MaintenanceWindow SUNDAY = window("02:00", "04:00", "Europe/Berlin", Weekday.SUN);
  static final MaintenanceWindow TOKYO = window("01:00", "03:00", "Asia/Tokyo", Weekday.WED);
  static final MaintenanceWindow CHRISTMAS = christmas();
  static final Map<String, MaintenanceWindow> BY_NAME = Map.of("night", NIGHT, "late", LATE, "sunday", SUNDAY,
      "tokyo", TOKYO, "christmas", CHRISTMAS);

  private static MaintenanceWindow christmas() {
    var w = window("02:00", "05:00", "Europe/Berlin", Weekday.TUE);
    w.setDates(new LinkedHashSet<>(List.of("2026-12-24")));
    w.setBlackoutDates(new LinkedHashSet<>(List.of("2026-12-22")));
    return w;
  }

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
      // spring forward, 2026-03-29: 02:00 CET does not exist, the window opens at 03:00 CEST (01:00Z), closes 04:00
      "sunday, 2026-03-29T00:59:59Z, false",
      "sunday, 2026-03-29T01:00:00Z, true",
      "sunday, 2026-03-29T01:59:59Z, true",
      "sunday, 2026-03-29T02:00:00Z, false",
      // fall back, 2026-10-25: 02:00 CEST (00:00Z) to 04:00 CET (03:00Z), three hours long
      "sunday, 2026-10-24T23:59:59Z, false",
      "sunday, 2026-10-25T00:00:00Z, true",
      "sunday, 2026-10-25T02:59:59Z, true",
      "sunday, 2026-10-25T03:00:00Z, false",
      // a device in Tokyo (UTC+9, no DST): Wednesday 01:00-03:00 local is Tuesday 16:00-18:00 UTC
      "tokyo, 2026-11-24T15:59:59Z, false",
      "tokyo, 2026-11-24T16:00:00Z, true",
      "tokyo, 2026-11-24T17:59:59Z, true",
      "tokyo, 2026-11-25T16:30:00Z, false",  // Thursday in Tokyo
      // dates and blackout dates: Tuesday 2026-12-22 is blacked out, Thursday 2026-12-24 is a date of its own
      "christmas, 2026-12-22T01:30:00Z, false",
      "christmas, 2026-12-29T01:30:00Z, true",
      "christmas, 2026-12-24T01:30:00Z, true",
      "christmas, 2026-12-23T01:30:00Z, false",
  })
  void opensAtStartAndClosesAtEnd(String name, String at, boolean open) {
    var windows = new MaintenanceWindows(List.of(BY_NAME.get(name)));

    assertThat(windows.open(Instant.parse(at))).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2026-11-25T12:00:00Z", "2026-11-24T01:00:00Z"})
  void noWindowsMeansAlwaysOpen(String at) {
    assertThat(MaintenanceWindows.ALWAYS.open(Instant.parse(at))).isTrue();
    assertThat(new MaintenanceWindows(null).fits(Instant.parse(at), Duration.ofDays(1))).isTrue();
  }

  @Test
  void aChangeArrivingOneMinuteBeforeTheWindowClosesWaitsForTheNextWhenItTakesLonger() {
    var windows = new MaintenanceWindows(List.of(NIGHT));
    var oneMinuteBefore = Instant.parse("2026-11-24T03:59:00Z"); // Tue 04:59 Berlin

    assertThat(windows.fits(oneMinuteBefore, Duration.ofMinutes(1))).isTrue();
    assertThat(windows.fits(oneMinuteBefore, Duration.ofMinutes(5))).isFalse();
    var next = windows.next(oneMinuteBefore, Duration.ofMinutes(5)).orElseThrow();
    assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-11-30T01:00:00Z")); // Mon 02:00 CET
    assertThat(MaintenanceWindows.label(next, oneMinuteBefore)).isEqualTo("Mon 02:00 CET");
  }

  @Test
  void nextIsNowInsideAWindowLongEnough() {
    var windows = new MaintenanceWindows(List.of(NIGHT));
    var at = Instant.parse("2026-11-24T01:30:00Z");

    assertThat(windows.next(at, Duration.ofMinutes(30)).orElseThrow().toInstant()).isEqualTo(at);
  }

  @Test
  void aChangeLongerThanTheShortenedSpringNightWaitsForAFullNight() {
    var windows = new MaintenanceWindows(List.of(SUNDAY));
    var saturday = Instant.parse("2026-03-28T12:00:00Z");

    assertThat(windows.next(saturday, Duration.ofMinutes(60)).orElseThrow())
        .isEqualTo(ZonedDateTime.parse("2026-03-29T03:00+02:00[Europe/Berlin]"));
    var week = windows.next(saturday, Duration.ofMinutes(90)).orElseThrow();
    assertThat(week).isEqualTo(ZonedDateTime.parse("2026-04-05T02:00+02:00[Europe/Berlin]"));
    assertThat(MaintenanceWindows.label(week, saturday)).isEqualTo("Sun 2026-04-05 02:00 CEST");
  }

  @Test
  void nothingOpensWhenEveryWindowIsTooShort() {
    var windows = new MaintenanceWindows(List.of(NIGHT));

    assertThat(windows.next(Instant.parse("2026-11-24T12:00:00Z"), Duration.ofHours(4))).isEmpty();
  }

  @Test
  void aLaterWindowOfAnotherZoneCanBeTheNextOne() {
    var windows = new MaintenanceWindows(List.of(NIGHT, TOKYO));
    var tuesdayNoon = Instant.parse("2026-11-24T12:00:00Z");

    var next = windows.next(tuesdayNoon, Duration.ofMinutes(10)).orElseThrow();
    assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
    assertThat(MaintenanceWindows.label(next, tuesdayNoon)).isEqualTo("Wed 01:00 JST");
  }
}
