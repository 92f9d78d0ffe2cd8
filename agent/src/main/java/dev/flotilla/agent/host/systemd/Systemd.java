package dev.flotilla.agent.host.systemd;

import dev.flotilla.plan.ObservedUnit;
import java.io.IOException;

/**
 * The agent's seam to systemd: observe a unit, change it, and wait for the change to finish. Each changing call
 * returns only once systemd's job is done, and throws when it failed, with the unit's {@code Result} and
 * {@code ExecMainStatus} in the message. Implemented over D-Bus by {@link DbusSystemd}.
 */
public interface Systemd extends AutoCloseable {

  /** The unit as systemd sees it now; a unit it does not know is {@link ObservedUnit#missing}. */
  ObservedUnit unit(String unit) throws IOException;

  /** Starts the unit ({@code StartUnit}, mode {@code replace}) and waits for the job. */
  void start(String unit) throws IOException;

  /** Restarts the unit ({@code RestartUnit}) and waits for the job. */
  void restart(String unit) throws IOException;

  /** Stops the unit and waits for the job. */
  void stop(String unit) throws IOException;

  /**
   * Enables ({@code EnableUnitFiles}) or disables ({@code DisableUnitFiles}) the unit; does not reload (call
   * {@link #reload()} after).
   */
  void enable(String unit, boolean enable) throws IOException;

  /** Makes systemd read unit files again ({@code Manager.Reload}); returns when it has. */
  void reload() throws IOException;

  @Override
  void close() throws IOException;
}
