package dev.flotilla.ui;

import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.schema.Durations;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The history page's filter from its query parameters: tenant, device, kind, and since/until as an RFC 3339 time,
 * a form's local date-time (taken as UTC), or a duration back from now ({@code 1h}). A bad value is kept as
 * {@link #error()} in words, never thrown. A value; {@link #parse} is pure.
 */
record HistoryFilter(String tenant, String device, String kind, String sinceText, String untilText, Instant since,
    Instant until, String error) {

  static HistoryFilter parse(Map<String, String> params, Instant now) {
    var tenant = blankToNull(params.get("tenant"));
    var device = blankToNull(params.get("device"));
    var kind = blankToNull(params.get("kind"));
    var sinceText = blankToNull(params.get("since"));
    var untilText = blankToNull(params.get("until"));
    String error = null;
    if (kind != null && EventKind.fromWireName(kind) == null) {
      error = "filter history: unknown kind '" + kind + "'";
    }
    Instant since = null;
    Instant until = null;
    var bad = sinceText;
    try {
      since = time(sinceText, now);
      bad = untilText;
      until = time(untilText, now);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      error = "filter history: '" + bad + "' is not a time; use 2026-12-07T10:00:00Z or a duration back from "
          + "now, such as 1h";
    }
    return new HistoryFilter(tenant, device, kind, sinceText, untilText, since, until, error);
  }

  HistoryQuery query(int limit) {
    var kinds = kind == null ? Set.<EventKind>of() : Set.of(EventKind.fromWireName(kind));
    return new HistoryQuery(tenant, device, kinds, since, until, limit);
  }

  private static Instant time(String text, Instant now) {
    if (text == null) {
      return null;
    }
    if (Character.isDigit(text.charAt(0)) && !text.contains("-")) {
      return now.minus(Durations.parse(text));
    }
    if (text.endsWith("Z") || text.matches(".*[+-][0-9]{2}:[0-9]{2}$")) {
      return java.time.OffsetDateTime.parse(text).toInstant();
    }
    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
