package dev.flotilla.rollout;

import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.model.Weekday;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Whether an instant falls in one of a device's maintenance windows. A window opens at {@code start} on each of
 * its days, local time in its time zone, and closes at {@code end} (excluded); an end at or before the start
 * closes on the next day. No windows means always open. Pure.
 */
public final class MaintenanceWindows {
  private MaintenanceWindows() {}

  public static boolean open(List<MaintenanceWindow> windows, Instant at) {
    return windows == null || windows.isEmpty() || windows.stream().anyMatch(w -> open(w, at));
  }

  public static boolean open(MaintenanceWindow window, Instant at) {
    var local = at.atZone(ZoneId.of(window.getTimeZone()));
    var time = local.toLocalTime();
    var start = LocalTime.parse(window.getStart());
    var end = LocalTime.parse(window.getEnd());
    var today = day(local.getDayOfWeek());
    var yesterday = day(local.getDayOfWeek().minus(1));
    if (start.isBefore(end)) {
      return window.getDays().contains(today) && !time.isBefore(start) && time.isBefore(end);
    }
    return window.getDays().contains(today) && !time.isBefore(start)
        || window.getDays().contains(yesterday) && time.isBefore(end);
  }

  private static Weekday day(DayOfWeek day) {
    return Weekday.values()[day.getValue() - 1];
  }
}
