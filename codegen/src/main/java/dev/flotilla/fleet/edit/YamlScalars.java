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
 * multi-line text, and nested block mappings and sequences of mappings. Pure.
 */
final class YamlScalars {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+:,() -]*");
  private static final Set<String> SPECIAL = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null",
      "~", ".inf", ".nan");

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
    } else if (value instanceof String s && s.contains("\n") && !s.startsWith(" ")) {
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

  static String key(String key) {
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
          if (c < 0x20 || c == 0x7f) {
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
