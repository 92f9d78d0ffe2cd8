package dev.flotilla.fleet.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders values as block-style YAML lines the way people write them: plain scalars where YAML reads them back
 * as the same string, double quotes otherwise (versions, numbers-as-text, yes/no/on/off), literal blocks for
 * multi-line text, and nested block mappings and sequences of mappings. Pure. Any string, whatever it holds, reads
 * back as that same string and nothing else: what a plain scalar or a literal block cannot carry exactly is double
 * quoted, with every non-printable character and every line break escaped.
 */
final class YamlScalars {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+:,() -]*");
  private static final Set<String> SPECIAL = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null",
      "~", ".inf", ".nan");
  static final int MAX_KEY = 1000;

  private YamlScalars() {}

  /** The lines of {@code key: value} at {@code indent}, nested entries {@code step} deeper. */
  static List<String> entry(String key, Object value, int indent, int step) {
    var pad = " ".repeat(indent);
    var lines = new ArrayList<String>();
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      lines.add(pad + key(key) + ":");
      map.forEach((k, v) -> lines.addAll(entry(String.valueOf(k), v, indent + step, step)));
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      lines.add(pad + key(key) + ":");
      list.forEach(item -> lines.addAll(item(item, indent + step, step)));
    } else if (value instanceof String s && literal(s)) {
      lines.add(pad + key(key) + ": " + (s.endsWith("\n") ? "|" : "|-"));
      for (var line : s.split("\n", -1)) {
        lines.add(line.isEmpty() ? "" : pad + " ".repeat(step) + line);
      }
      stripTrailingEmpty(lines);
    } else {
      lines.add(pad + key(key) + ": " + scalar(value));
    }
    return lines;
  }

  /** The lines of one sequence item at {@code indent}: {@code - k: v} then the other entries under it. */
  static List<String> item(Object item, int indent, int step) {
    var lines = new ArrayList<String>();
    if (item instanceof Map<?, ?> map && !map.isEmpty()) {
      boolean first = true;
      for (var e : map.entrySet()) {
        var entry = entry(String.valueOf(e.getKey()), e.getValue(), indent + 2, step);
        if (first) {
          entry.set(0, " ".repeat(indent) + "- " + entry.getFirst().substring(indent + 2));
          first = false;
        }
        lines.addAll(entry);
      }
    } else {
      lines.add(" ".repeat(indent) + "- " + scalar(item));
    }
    return lines;
  }

  /**
   * Whether a literal block ({@code |}) reads back as exactly {@code s}: several lines, each break a '\n', every
   * character printable and none that YAML also takes as a line break (CR, NEL, LS, PS), no indentation on the
   * first line for the block's indentation to swallow, and at most one trailing newline for clipping to keep. Its
   * last line must not look like a comment, or {@link YamlEdit} would take it for one after the block.
   */
  private static boolean literal(String s) {
    if (!s.contains("\n") || s.startsWith(" ") || s.startsWith("\n") || s.endsWith("\n\n")
        || s.strip().lines().reduce((a, b) -> b).orElse("").strip().startsWith("#")) {
      return false;
    }
    return s.chars().allMatch(c -> c == '\n' || c == '\t' || printable(c) && !breaks(c));
  }

  /** YAML 1.1's printable characters, as one UTF-16 unit (surrogates of a pair are printable). */
  private static boolean printable(int c) {
    return c >= 0x20 && c <= 0x7e || c == 0x85 || c >= 0xa0 && c <= 0xfffd && c != 0xfeff;
  }

  /** Characters YAML 1.1 takes as line breaks besides '\n'. */
  private static boolean breaks(int c) {
    return c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  static String scalar(Object value) {
    return switch (value) {
      case null -> "null";
      case Boolean b -> b.toString();
      case Number n -> n.toString();
      case Map<?, ?> m -> "{}";
      case List<?> l -> "[]";
      default -> string(value.toString());
    };
  }

  /** A key as YAML takes it without the explicit {@code ?} form: at most {@value #MAX_KEY} characters. */
  static String key(String key) {
    if (key.length() > MAX_KEY) {
      throw new IllegalArgumentException("edit: a key of " + key.length() + " characters; at most " + MAX_KEY);
    }
    return string(key);
  }

  private static String string(String s) {
    boolean plain = PLAIN.matcher(s).matches() && !s.endsWith(" ") && !s.endsWith(":") && !s.contains(": ")
        && !s.contains(" #") && !SPECIAL.contains(s.toLowerCase(Locale.ROOT));
    return plain ? s : quote(s);
  }

  private static String quote(String s) {
    var out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (!printable(c) || breaks(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void stripTrailingEmpty(List<String> lines) {
    while (lines.size() > 1 && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
  }
}
