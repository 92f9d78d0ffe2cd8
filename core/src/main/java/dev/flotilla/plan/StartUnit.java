package dev.flotilla.plan;

/**
 * Starts a unit, or restarts it, and waits for systemd's job to finish.
 *
 * @param unit the unit's name
 * @param restart whether to restart a running unit (its unit file changed) rather than start a stopped one
 * @param reason why, shown in the plan line: {@code start}, or {@code restart: unit file changed}
 */
public record StartUnit(String unit, boolean restart, String reason) implements UnitChange {

  /** Starts a unit that is not running. */
  public static StartUnit start(String unit) {
    return new StartUnit(unit, false, "start");
  }

  @Override
  public String line() {
    return (restart ? "~ unit " : "+ unit ") + unit + " (" + reason + ")";
  }

  @Override
  public String toString() {
    return line();
  }
}
