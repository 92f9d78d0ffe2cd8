package dev.flotilla.agent.host.systemd;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.plan.WriteUnitFile;
import java.io.IOException;

/**
 * Takes a unit out of the agent's hands, for every change that does (a unit file no longer declared, an app removed,
 * an app moved to another unit): stops the unit when it is active and disables it when enabled, then deletes its
 * unit file in {@value WriteUnitFile#DIRECTORY} when it is there. Does not reload systemd: the applier does, once,
 * after the plan's last removal. Idempotent; throws what systemd or the file system throws.
 */
public final class UnitRemover {
  private final HostFiles files;
  private final Systemd systemd;

  public UnitRemover(HostFiles files, Systemd systemd) {
    this.files = files;
    this.systemd = systemd;
  }

  /**
   * Stops and disables {@code unit} (if {@code stop}) and deletes its unit file (if {@code deleteFile}).
   *
   * @return whether anything changed
   */
  public boolean remove(String unit, boolean stop, boolean deleteFile) throws IOException {
    var changed = false;
    if (stop) {
      var observed = systemd.unit(unit);
      if (observed.active()) {
        systemd.stop(unit);
        changed = true;
      }
      if (observed.disableable()) {
        systemd.enable(unit, false);
        changed = true;
      }
    }
    var path = WriteUnitFile.pathOf(unit);
    if (deleteFile && files.observe(path).exists()) {
      files.delete(path);
      changed = true;
    }
    return changed;
  }
}
