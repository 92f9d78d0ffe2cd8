package dev.flotilla.schema;

/** A 1-based line and column in a source file; {@link #UNKNOWN} (0:0) when the position is not known. */
public record Location(int line, int column) {
  public static final Location UNKNOWN = new Location(0, 0);
  public static final Location START = new Location(1, 1);
}
