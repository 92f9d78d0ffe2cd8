package dev.flotilla.window;

import dev.flotilla.model.MaintenanceWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A device's maintenance windows: when disruptive changes may start. The one implementation the reconciler (rollout
 * waves) and the agent (held changes) share. Pure and immutable; no clock: every question takes the instant.
 *
 * <p>A window opens at {@code start} on each of its {@code days} and {@code dates} (local, in its time zone), unless
 * the date is one of its {@code blackoutDates}, and closes at {@code end} (excluded); an end at or before the start
 * closes on the next day. Local times are resolved as {@link ZonedDateTime#of} does: a start that a DST switch skips
 * opens at the first instant after the gap (so a window that lies wholly in the gap does not open that night), and a
 * time that occurs twice is its first occurrence. No windows means always open.
 */
public record MaintenanceWindows(List<MaintenanceWindow> windows) {
  /** No windows: disruptive changes may start at any time. */
  public static final MaintenanceWindows ALWAYS = new MaintenanceWindows(List.of());

  /** How far ahead {@link #next} looks for an opening. */
  public static final int HORIZON_DAYS = 400;

  public MaintenanceWindows {
    windows = windows == null ? List.of() : List.copyOf(windows);
  }

  /** One opening of a window. */
  public record Occurrence(ZonedDateTime opens, ZonedDateTime closes) {
    boolean contains(Instant at) {
      return !at.isBefore(opens.toInstant()) && at.isBefore(closes.toInstant());
    }

    Duration length() {
      return Duration.between(opens.toInstant(), closes.toInstant());
    }
  }

  /** Whether there are no windows, so that everything may start at any time. */
  public boolean always() {
    return windows.isEmpty();
  }

  /** Whether a window is open at {@code at}; always true without windows. */
  public boolean open(Instant at) {
    return always() || occurrences(at, 1).anyMatch(o -> o.contains(at));
  }

  /**
   * Whether a change that takes up to {@code need} may start at {@code at}: a window is open and stays open that
   * long. Always true without windows.
   */
  public boolean fits(Instant at, Duration need) {
    return always() || occurrences(at, 1)
        .anyMatch(o -> o.contains(at) && !at.plus(need).isAfter(o.closes().toInstant()));
  }

  /**
   * The first instant at or after {@code at} at which a change that takes up to {@code need} may start: {@code at}
   * itself when it {@link #fits}, else the opening of the first window at least that long. Empty when none opens
   * within {@value #HORIZON_DAYS} days (every window too short, or blacked out). The occurrence's opening time carries
   * the window's own time zone, for display.
   */
  public Optional<ZonedDateTime> next(Instant at, Duration need) {
    if (always()) {
      return Optional.of(at.atZone(ZoneId.of("UTC")));
    }
    var now = occurrences(at, 1).filter(o -> o.contains(at) && !at.plus(need).isAfter(o.closes().toInstant()))
        .findFirst();
    if (now.isPresent()) {
      return Optional.of(at.atZone(now.get().opens().getZone()));
    }
    return occurrences(at, HORIZON_DAYS)
        .filter(o -> o.opens().toInstant().isAfter(at) && need.compareTo(o.length()) <= 0)
        .map(Occurrence::opens)
        .min(Comparator.comparing(ZonedDateTime::toInstant));
  }

  /**
   * An opening as people read it, in its window's time zone: {@code Tue 02:00 CET} within six days of {@code now},
   * {@code Thu 2026-12-24 02:00 CET} further off.
   */
  public static String label(ZonedDateTime opens, Instant now) {
    var soon = opens.toInstant().isBefore(now.plus(Duration.ofDays(6)));
    return opens.format(soon ? SOON : LATER);
  }

  private static final DateTimeFormatter SOON = DateTimeFormatter.ofPattern("EEE HH:mm z", Locale.ENGLISH);
  private static final DateTimeFormatter LATER = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm z", Locale.ENGLISH);

  /** Every non-empty opening of every window that starts from the day before {@code at} on, for {@code days}. */
  Stream<Occurrence> occurrences(Instant at, int days) {
    var out = new ArrayList<Occurrence>();
    for (var window : windows) {
      var zone = ZoneId.of(window.getTimeZone());
      var first = at.atZone(zone).toLocalDate().minusDays(1);
      for (int i = 0; i <= days; i++) {
        occurrence(window, zone, first.plusDays(i)).ifPresent(out::add);
      }
    }
    return out.stream();
  }

  private static Optional<Occurrence> occurrence(MaintenanceWindow window, ZoneId zone, LocalDate date) {
    var text = date.toString();
    if (!opensOn(window, date.getDayOfWeek(), text) || contains(window.getBlackoutDates(), text)) {
      return Optional.empty();
    }
    var start = LocalTime.parse(window.getStart());
    var end = LocalTime.parse(window.getEnd());
    var opens = ZonedDateTime.of(date, start, zone);
    var closes = ZonedDateTime.of(end.isAfter(start) ? date : date.plusDays(1), end, zone);
    return closes.isAfter(opens) ? Optional.of(new Occurrence(opens, closes)) : Optional.empty();
  }

  private static boolean opensOn(MaintenanceWindow window, DayOfWeek day, String date) {
    var days = window.getDays();
    return days != null && days.stream().anyMatch(d -> d.ordinal() == day.getValue() - 1)
        || contains(window.getDates(), date);
  }

  private static boolean contains(Set<String> dates, String date) {
    return dates != null && dates.contains(date);
  }
}
