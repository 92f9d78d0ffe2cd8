package dev.flotilla.plan;

/**
 * Removes an app the agent installed that the desired state no longer declares: stops and disables its unit,
 * deletes the unit file the agent wrote for it, and deletes the app's directory ({@code <apps>/<name>/}: every
 * version and the {@code current} link). Systemd is reloaded once, after the plan's last unit file removal.
 *
 * @param app the app's name
 * @param unit the unit that ran it
 * @param stopUnit whether to stop and disable the unit: false when a declared service or app uses the unit now, or
 *     a {@link DeleteUnitFile} of the same plan handles it
 * @param deleteUnitFile whether to delete {@code /etc/systemd/system/<unit>}: only when the agent wrote it (a unit
 *     generated from the app's command or shipped by its version) and {@code stopUnit}; the applier skips it when the
 *     file is gone already
 */
public record RemoveApp(String app, String unit, boolean stopUnit, boolean deleteUnitFile) implements AppChange {

  /** The unit file's device path. */
  public String unitFilePath() {
    return WriteUnitFile.pathOf(unit);
  }

  @Override
  public String line() {
    if (!stopUnit) {
      return "- app " + app + " (no longer declared; leaves unit " + unit + ")";
    }
    return "- app " + app + (deleteUnitFile ? " (no longer declared)"
        : " (no longer declared; keeps unit file " + unit + " it did not write)");
  }

  @Override
  public String toString() {
    return line();
  }
}
