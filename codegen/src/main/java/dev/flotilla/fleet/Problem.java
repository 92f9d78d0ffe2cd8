package dev.flotilla.fleet;

import java.util.Comparator;

/**
 * One thing wrong with a fleet repo, tied to a place in a file.
 *
 * @param file path relative to the repo root, with '/' separators
 * @param location where in the file; {@link Location#UNKNOWN} for whole-file problems
 * @param field the dotted field path inside the document ({@code spec.waves[1].count}), or empty
 * @param message what is wrong, lowercase, names quoted
 * @param hint how to fix it, or empty
 */
public record Problem(String file, Location location, Severity severity, String field, String message, String hint) {

  /** Sorted by file, then line, then column, then message: the order {@code flotilla validate} prints. */
  public static final Comparator<Problem> ORDER = Comparator.comparing(Problem::file)
      .thenComparingInt(p -> p.location().line())
      .thenComparingInt(p -> p.location().column())
      .thenComparing(Problem::message);

  public Problem {
    field = field == null ? "" : field;
    hint = hint == null ? "" : hint;
  }

  public static Problem error(String file, Location location, String field, String message, String hint) {
    return new Problem(file, location, Severity.ERROR, field, message, hint);
  }

  public static Problem warning(String file, Location location, String field, String message, String hint) {
    return new Problem(file, location, Severity.WARNING, field, message, hint);
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
