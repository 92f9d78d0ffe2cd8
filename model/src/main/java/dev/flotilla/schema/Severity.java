package dev.flotilla.schema;

/** How bad a {@link Problem} is: errors make a fleet invalid, warnings only with {@code --strict}. */
public enum Severity {
  ERROR,
  WARNING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
