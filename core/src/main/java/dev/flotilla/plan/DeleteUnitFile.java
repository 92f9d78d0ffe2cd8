package dev.flotilla.plan;

/**
 * Removes a unit file the agent wrote earlier ({@code /etc/systemd/system/<unit>}) that no service declares any
 * more. When the unit itself is no longer declared either, it is stopped and disabled first; systemd is reloaded
 * once, after the plan's last removal.
 *
 * @param unit the unit's name
 * @param declared whether a service or an app still declares the unit (without a unit file): then it is left
 *     running and enabled as it is, and only its file goes
 */
public record DeleteUnitFile(String unit, boolean declared) implements UnitChange {

  /** The unit file's device path. */
  public String path() {
    return WriteUnitFile.pathOf(unit);
  }

  @Override
  public String line() {
    return "- unit " + unit + (declared ? " (unit file no longer declared)" : " (no longer declared)");
  }

  @Override
  public String toString() {
    return line();
  }
}
