package dev.flotilla.rollout;

/**
 * How a wave's devices stand. {@code size} includes devices that count as none of the three (no report within the
 * health timeout when {@code failOnNoReport} is false).
 */
public record Counts(int succeeded, int failed, int pending, int size) {
  public static final Counts NONE = new Counts(0, 0, 0, 0);

  /** failed / size, 0 for an empty wave. */
  public double failureRatio() {
    return size == 0 ? 0 : (double) failed / size;
  }

  @Override
  public String toString() {
    return succeeded + " succeeded, " + failed + " failed, " + pending + " pending of " + size;
  }
}
