package dev.flotilla.fleet.edit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Edits the text of a block-style YAML document and leaves every line it does not touch exactly as it was:
 * comments, blank lines, quoting, key order and line endings stay. Immutable and pure: each edit returns a new
 * {@code YamlEdit}. A path is a list of mapping keys ({@code ["spec", "cordoned"]}), or dotted for keys without
 * dots ({@code "spec.cordoned"}). Values are strings, booleans, numbers, maps and lists of maps, rendered in block
 * style ({@link YamlScalars}).
 *
 * <p>Throws {@link IllegalArgumentException} {@code edit '<path>': <cause>} when a path runs through something that
 * is not a block mapping (a scalar, a flow collection such as {@code {a: 1}}, a sequence); an empty flow
 * collection ({@code {}} or {@code []}) is turned into a block.
 */
public final class YamlEdit {
  private final List<String> lines;
  private final String newline;
  private final boolean finalNewline;
  private final int step;

  private YamlEdit(List<String> lines, String newline, boolean finalNewline) {
    this.lines = List.copyOf(lines);
    this.newline = newline;
    this.finalNewline = finalNewline;
    this.step = step(this.lines);
  }

  public static YamlEdit of(String text) {
    var newline = text.contains("\r\n") ? "\r\n" : "\n";
    boolean finalNewline = text.endsWith("\n");
    var body = finalNewline ? text.substring(0, text.length() - newline.length()) : text;
    var lines = body.isEmpty() ? List.<String>of() : Arrays.asList(body.split(newline, -1));
    return new YamlEdit(lines, newline, finalNewline || body.isEmpty());
  }

  public String text() {
    return String.join(newline, lines) + (finalNewline ? newline : "");
  }

  /** Sets the value at {@code path}, replacing it in place or inserting the key (and missing parents) at the end. */
  public YamlEdit set(String path, Object value) {
    return set(path(path), value);
  }

  public YamlEdit set(List<String> path, Object value) {
    var at = locate(path);
    var out = new ArrayList<>(at.in().lines);
    if (at.entry() >= 0) {
      var old = YamlLine.parse(out.get(at.entry()));
      var rendered = YamlScalars.entry(path.getLast(), value, old.indent(), step);
      // keep the key as it was written (quoted or not) and, for a scalar, its trailing comment
      var rest = rendered.getFirst().substring(old.indent() + YamlScalars.key(path.getLast()).length() + 1);
      rendered.set(0, old.text().substring(0, old.valueStart()) + rest
          + (rendered.size() == 1 && scalar(old) ? old.trailingComment() : ""));
      replace(out, at.entry(), at.end(), rendered);
    } else {
      Object nested = value;
      for (int i = path.size() - 1; i > at.depth(); i--) {
        nested = Map.of(path.get(i), nested);
      }
      out.addAll(at.end(), YamlScalars.entry(path.get(at.depth()), nested, at.indent(), step));
    }
    return new YamlEdit(out, newline, finalNewline);
  }

  /** Removes the key at {@code path} with everything nested under it; a missing key is left alone. */
  public YamlEdit remove(String path) {
    return remove(path(path));
  }

  public YamlEdit remove(List<String> path) {
    var at = locate(path);
    if (at.entry() < 0) {
      return this;
    }
    var out = new ArrayList<>(at.in().lines);
    out.subList(at.entry(), at.end()).clear();
    return new YamlEdit(out, newline, finalNewline);
  }

  /** Appends {@code item} to the block sequence at {@code path}, creating the sequence if it is missing. */
  public YamlEdit append(String path, Map<String, ?> item) {
    return append(path(path), item);
  }

  public YamlEdit append(List<String> path, Map<String, ?> item) {
    var at = locate(path);
    if (at.entry() < 0) {
      return set(path, List.of(new LinkedHashMap<>(item)));
    }
    var key = YamlLine.parse(at.in().lines.get(at.entry()));
    if (key.value().equals("[]")) {
      return at.in().openEmpty(key, at.entry()).append(path, item);
    }
    if (!key.value().isEmpty()) {
      throw new IllegalArgumentException("edit '" + String.join(".", path) + "': not a block sequence (it is '"
          + key.value() + "')");
    }
    int itemIndent = key.indent() + step;
    for (int i = at.entry() + 1; i < at.end(); i++) {
      var line = YamlLine.parse(at.in().lines.get(i));
      if (line.content()) {
        if (!line.item()) {
          throw new IllegalArgumentException("edit '" + String.join(".", path) + "': not a sequence");
        }
        itemIndent = line.indent();
        break;
      }
    }
    var out = new ArrayList<>(at.in().lines);
    out.addAll(at.end(), YamlScalars.item(item, itemIndent, step));
    return new YamlEdit(out, newline, finalNewline);
  }

  public static List<String> path(String dotted) {
    return List.of(dotted.split("\\."));
  }

  /**
   * Where {@code path} is: the line of its key and the end of its block, or — when missing — how deep the path
   * exists ({@code depth}), where to insert ({@code end}) and at what indentation, all in the lines of
   * {@code in}: this document, or a copy with an empty {@code {}} on the way opened into a block.
   */
  private Location locate(List<String> path) {
    int from = 0;
    int to = lines.size();
    int parentIndent = -1;
    for (int depth = 0; depth < path.size(); depth++) {
      int indent = childIndent(from, to, parentIndent);
      int entry = find(from, to, indent, path.get(depth), path);
      if (entry < 0) {
        return new Location(this, -1, lastContent(from, to), depth, indent);
      }
      var line = YamlLine.parse(lines.get(entry));
      int end = blockEnd(entry, to, line);
      if (depth == path.size() - 1) {
        return new Location(this, entry, end, depth, indent);
      }
      var value = line.value();
      if (value.equals("{}")) {
        return openEmpty(line, entry).locate(path);
      }
      if (!value.isEmpty()) {
        throw new IllegalArgumentException("edit '" + String.join(".", path) + "': '" + path.get(depth)
            + "' is not a block mapping (it is '" + value + "')");
      }
      from = entry + 1;
      to = end;
      parentIndent = line.indent();
    }
    throw new IllegalArgumentException("edit '': empty path");
  }

  private YamlEdit openEmpty(YamlLine line, int entry) {
    var out = new ArrayList<>(lines);
    out.set(entry, line.text().substring(0, line.valueStart()).stripTrailing() + line.trailingComment());
    return new YamlEdit(out, newline, finalNewline);
  }

  private int find(int from, int to, int indent, String key, List<String> path) {
    int i = from;
    while (i < to) {
      var line = YamlLine.parse(lines.get(i));
      if (!line.content() || line.indent() > indent) {
        i++;
        continue;
      }
      if (line.item() || line.key() == null) {
        throw new IllegalArgumentException("edit '" + String.join(".", path) + "': '" + key
            + "' would be inside a sequence or scalar; only block mappings can be walked");
      }
      if (key.equals(line.key())) {
        return i;
      }
      i = blockEnd(i, to, line);
    }
    return -1;
  }

  /** The indentation of the mapping's entries in {@code [from, to)}, or one step in from its parent if empty. */
  private int childIndent(int from, int to, int parentIndent) {
    for (int i = from; i < to; i++) {
      var line = YamlLine.parse(lines.get(i));
      if (line.content()) {
        return line.indent();
      }
    }
    return parentIndent < 0 ? 0 : parentIndent + step;
  }

  /** One past the last line of the entry's block; trailing comments and blank lines belong to what follows. */
  private int blockEnd(int entry, int to, YamlLine key) {
    int last = entry;
    boolean sameIndentItems = key.value().isEmpty();
    for (int i = entry + 1; i < to; i++) {
      var line = YamlLine.parse(lines.get(i));
      if (!line.content()) {
        continue;
      }
      if (line.indent() > key.indent() || (sameIndentItems && line.item() && line.indent() == key.indent())) {
        last = i;
      } else {
        break;
      }
    }
    return last + 1;
  }

  private int lastContent(int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (YamlLine.parse(lines.get(i)).content()) {
        return i + 1;
      }
    }
    return from;
  }

  private static boolean scalar(YamlLine line) {
    var value = line.value();
    return !value.isEmpty() && !value.startsWith("|") && !value.startsWith(">");
  }

  private static void replace(List<String> out, int from, int to, List<String> with) {
    out.subList(from, to).clear();
    out.addAll(from, with);
  }

  private static int step(List<String> lines) {
    int step = Integer.MAX_VALUE;
    int previous = 0;
    for (var text : lines) {
      var line = YamlLine.parse(text);
      if (line.content() && line.indent() > previous) {
        step = Math.min(step, line.indent() - previous);
      }
      if (line.content()) {
        previous = line.indent();
      }
    }
    return step == Integer.MAX_VALUE ? 2 : step;
  }

  private record Location(YamlEdit in, int entry, int end, int depth, int indent) {}
}
