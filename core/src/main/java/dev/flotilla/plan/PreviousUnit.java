package dev.flotilla.plan;

/**
 * The unit an app ran under (as the inventory recorded it) when it now declares another one: the {@link SwitchApp}
 * or {@link ReconfigureApp} that moves the app stops it before the new unit starts, and only once the new unit is
 * healthy disables it and deletes its unit file; when the new unit fails its health check, the app goes back to it.
 *
 * @param unit the old unit's name
 * @param stop whether to stop and disable the old unit: false when a declared service or another declared app uses
 *     it now, or a {@link DeleteUnitFile} of the same plan handles it
 * @param deleteUnitFile whether to delete {@code /etc/systemd/system/<unit>}: only when the inventory says the agent
 *     generated it (from the app's {@code command}) and {@code stop}
 */
public record PreviousUnit(String unit, boolean stop, boolean deleteUnitFile) {

  /** The old unit file's device path. */
  public String path() {
    return WriteUnitFile.pathOf(unit);
  }

  /** What the move does, for a plan line: {@code unit a.service -> b.service}, and what it leaves. */
  String describe(String to) {
    var move = "unit " + unit + " -> " + to;
    if (!stop) {
      return move + "; leaves unit " + unit;
    }
    return deleteUnitFile ? move : move + "; keeps unit file " + unit + " it did not write";
  }
}
