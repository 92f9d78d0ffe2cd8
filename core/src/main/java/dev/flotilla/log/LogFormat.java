package dev.flotilla.log;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.util.Locale;

/**
 * How a log event becomes one line: {@code text} for people and journald ({@code 2026-12-07T23:50:01.123Z INFO
 * reconciler: message}), {@code json} for log collectors ({@code {"time":…,"level":…,"component":…,"message":…}}).
 * Line breaks inside a message are escaped, so one event is always one line. Pure.
 */
public enum LogFormat {
  TEXT, JSON;

  /** {@code text} or {@code json}; throws IllegalArgumentException naming the choices otherwise. */
  public static LogFormat parse(String name) {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("log format '" + name + "': use text or json");
    };
  }

  /** One event as one line, without the line break. */
  public String line(Instant at, String level, String component, String message) {
    return switch (this) {
      case TEXT -> at + " " + level + " " + component + ": " + message.replace("\r", "\\r").replace("\n", "\\n");
      case JSON -> "{\"time\":\"" + at + "\",\"level\":\"" + level + "\",\"component\":\"" + quote(component)
          + "\",\"message\":\"" + quote(message) + "\"}";
    };
  }

  private static String quote(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }
}
