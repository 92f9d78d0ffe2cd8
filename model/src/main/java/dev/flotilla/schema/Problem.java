package dev.flotilla.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * One thing wrong with a fleet repo, tied to a place in a file.
 *
 * @param file path relative to the repo root, with '/' separators
 * @param location where in the file; {@link Location#UNKNOWN} for whole-file problems
 * @param field the dotted field path inside the document ({@code spec.waves[1].count}), or empty
 * @param message what is wrong, lowercase, names quoted
 * @param hint how to fix it, or empty
 * @param others the other files whose content is part of the problem, sorted: the first of two duplicates, the other
 *     of two conflicting policies, the user of an unsigned artifact. Not a file the message merely refers to (an
 *     artifact that is missing, or that belongs to another tenant): there the fault is in {@code file} alone.
 */
public record Problem(String file, Location location, Severity severity, String field, String message, String hint,
    List<String> others) {

  /** Sorted by file, then line, then column, then message: the order {@code flotilla validate} prints. */
  public static final Comparator<Problem> ORDER = Comparator.comparing(Problem::file)
      .thenComparingInt(p -> p.location().line())
      .thenComparingInt(p -> p.location().column())
      .thenComparing(Problem::message);

  public Problem {
    field = field == null ? "" : field;
    hint = hint == null ? "" : hint;
    var sorted = new TreeSet<>(others == null ? List.of() : others);
    sorted.remove(file);
    others = List.copyOf(sorted);
  }

  /** A problem of one file. */
  public Problem(String file, Location location, Severity severity, String field, String message, String hint) {
    this(file, location, severity, field, message, hint, List.of());
  }

  public static Problem error(String file, Location location, String field, String message, String hint) {
    return new Problem(file, location, Severity.ERROR, field, message, hint);
  }

  public static Problem warning(String file, Location location, String field, String message, String hint) {
    return new Problem(file, location, Severity.WARNING, field, message, hint);
  }

  /** This problem, also involving {@code files}. */
  public Problem involving(String... files) {
    var all = new ArrayList<>(others);
    all.addAll(List.of(files));
    return new Problem(file, location, severity, field, message, hint, all);
  }

  /** Every file the problem involves: {@link #file} first, then {@link #others}. */
  public List<String> files() {
    var all = new ArrayList<String>(others.size() + 1);
    all.add(file);
    all.addAll(others);
    return all;
  }

  public int line() {
    return location.line();
  }

  public int column() {
    return location.column();
  }

  /** {@code file:line:column: severity: field: message; hint}, leaving out what is unknown or empty. */
  @Override
  public String toString() {
    var out = new StringBuilder(file);
    if (location.line() > 0) {
      out.append(':').append(location.line()).append(':').append(location.column());
    }
    out.append(": ").append(severity.label()).append(": ");
    if (!field.isEmpty()) {
      out.append(field).append(": ");
    }
    out.append(message);
    if (!hint.isEmpty()) {
      out.append("; ").append(hint);
    }
    return out.toString();
  }
}
