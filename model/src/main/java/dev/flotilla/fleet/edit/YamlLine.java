package dev.flotilla.fleet.edit;

/**
 * One line of a block-style YAML document as {@link YamlEdit} sees it: its indentation, whether it carries content,
 * and — for a {@code key: value} line — the key, where the value starts and where a trailing comment starts. Pure.
 */
record YamlLine(String text, int indent, boolean content, boolean item, String key, int valueStart, int commentStart) {

  static YamlLine parse(String text) {
    int indent = 0;
    while (indent < text.length() && text.charAt(indent) == ' ') {
      indent++;
    }
    var rest = text.substring(indent);
    if (rest.isEmpty() || rest.startsWith("#") || rest.equals("---") || rest.startsWith("--- ")) {
      return new YamlLine(text, indent, false, false, null, -1, -1);
    }
    boolean item = rest.equals("-") || rest.startsWith("- ");
    if (item) {
      return new YamlLine(text, indent, true, true, null, -1, -1);
    }
    int[] keyEnd = new int[1];
    var key = key(text, indent, keyEnd);
    if (key == null) {
      return new YamlLine(text, indent, true, false, null, -1, -1);
    }
    int value = keyEnd[0] + 1;
    return new YamlLine(text, indent, true, false, key, value, commentStart(text, value));
  }

  /** The value text after the colon, without surrounding spaces or a trailing comment; empty for a block. */
  String value() {
    if (key == null) {
      return "";
    }
    var end = commentStart < 0 ? text.length() : commentStart;
    return text.substring(valueStart, end).strip();
  }

  /** The trailing comment with the spaces before it ({@code "  # why"}), or empty. */
  String trailingComment() {
    if (commentStart < 0) {
      return "";
    }
    int from = commentStart;
    while (from > valueStart && text.charAt(from - 1) == ' ') {
      from--;
    }
    return text.substring(from);
  }

  /** The key at {@code from}, or null if the line is not {@code key: ...}; {@code end[0]} is the colon's index. */
  private static String key(String text, int from, int[] end) {
    char first = text.charAt(from);
    if (first == '"' || first == '\'') {
      var key = new StringBuilder();
      int i = from + 1;
      for (; i < text.length(); i++) {
        char c = text.charAt(i);
        if (first == '"' && c == '\\' && i + 1 < text.length()) {
          key.append(unescape(text.charAt(++i)));
        } else if (c == first && first == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          key.append('\'');
          i++;
        } else if (c == first) {
          break;
        } else {
          key.append(c);
        }
      }
      int colon = i + 1;
      while (colon < text.length() && text.charAt(colon) == ' ') {
        colon++;
      }
      if (colon >= text.length() || text.charAt(colon) != ':') {
        return null;
      }
      end[0] = colon;
      return key.toString();
    }
    if (first == '{' || first == '[' || first == '&' || first == '*' || first == '!' || first == '?') {
      return null;
    }
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '#' && i > from && text.charAt(i - 1) == ' ') {
        return null;
      }
      if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        end[0] = i;
        return text.substring(from, i).stripTrailing();
      }
    }
    return null;
  }

  private static char unescape(char c) {
    return switch (c) {
      case 'n' -> '\n';
      case 't' -> '\t';
      default -> c;
    };
  }

  /** Where a {@code #} comment starts after {@code from} (outside quotes), or -1. */
  private static int commentStart(String text, int from) {
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if ((c == '"' || c == '\'') && text.substring(from, i).isBlank()) {
        quote = c;
      } else if (c == '#' && (i == from || text.charAt(i - 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }
}
