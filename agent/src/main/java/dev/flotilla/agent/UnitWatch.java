package dev.flotilla.agent;

import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.systemd.SystemdConnection;
import dev.flotilla.model.DesiredState;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Real-time unit drift detection: the bus's unit watcher, told after each pass which units the current bundle
 * declares (services and apps' units). Does nothing without a systemd bus. Not thread-safe: the agent's loop owns
 * it.
 */
final class UnitWatch {
  private final SystemdHost systemd;
  private SystemdConnection watched;

  /** @param systemd the systemd side of the host; null when no bus is configured */
  UnitWatch(SystemdHost systemd) {
    this.systemd = systemd;
  }

  /**
   * Starts watching: {@code onChange} gets {@code unit:<name>} when a unit {@code desired} declares changes. Does
   * not connect to the bus: watching starts with the connection, when a bundle first needs systemd, and resumes
   * after a reconnect.
   */
  void start(Consumer<String> onChange, DesiredState desired) throws IOException {
    if (systemd == null || !(systemd.systemd() instanceof SystemdConnection bus)) {
      return;
    }
    bus.watch(onChange);
    watched = bus;
    follow(desired);
  }

  /** Watches the units {@code desired} declares (null: none) from now on. */
  void follow(DesiredState desired) {
    if (watched != null) {
      watched.manage(UnitReports.managedUnits(desired));
    }
  }
}
