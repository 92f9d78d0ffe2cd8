package dev.flotilla.plan;

/**
 * Writes a unit file to {@code /etc/systemd/system/<unit>} (mode 0644) and reloads systemd.
 *
 * @param unit the unit's name
 * @param content the unit file's text
 * @param create whether no file is there yet
 */
public record WriteUnitFile(String unit, String content, boolean create) implements UnitChange {
  /** Where systemd reads the unit files the agent writes, on the device. */
  public static final String DIRECTORY = "/etc/systemd/system/";

  /** The unit file's device path. */
  public String path() {
    return pathOf(unit);
  }

  /** The device path of the unit file the agent writes for {@code unit}. */
  public static String pathOf(String unit) {
    return DIRECTORY + unit;
  }

  @Override
  public String line() {
    return (create ? "+ unit " : "~ unit ") + unit + (create ? " (unit file)" : " (unit file changed)");
  }

  @Override
  public String toString() {
    return line();
  }
}
