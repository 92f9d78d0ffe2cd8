package dev.flotilla.schema;

import java.time.Duration;
import java.util.regex.Pattern;

/** The schemas' duration strings ('30s', '5m', '1h30m', '7d', '250ms'): parsing and printing. Pure. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("^([0-9]{1,9}(ms|s|m|h|d))+$");
  private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** Parses a duration; throws IllegalArgumentException naming the expected form. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("duration '" + text + "': use a number and a unit, such as 30s, 5m, 1h30m, 7d");
    }
    var total = Duration.ZERO;
    var part = PART.matcher(text);
    while (part.find()) {
      var n = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    return total;
  }

  /** The shortest text {@link #parse} reads back as {@code duration}, such as '1h30m'. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    var out = new StringBuilder();
    long millis = duration.toMillis();
    long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis >= sizes[i]) {
        out.append(millis / sizes[i]).append(units[i]);
        millis %= sizes[i];
      }
    }
    return out.toString();
  }
}
