package dev.flotilla.plan;

/** Stops a running unit that is declared {@code stopped}, and waits for systemd's job to finish. */
public record StopUnit(String unit) implements UnitChange {

  @Override
  public String line() {
    return "- unit " + unit + " (stop)";
  }

  @Override
  public String toString() {
    return line();
  }
}
