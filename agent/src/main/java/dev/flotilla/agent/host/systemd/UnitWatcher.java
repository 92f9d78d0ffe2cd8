package dev.flotilla.agent.host.systemd;

import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * Tells, in real time, that a managed unit changed: on systemd's {@code PropertiesChanged} signal for a unit's
 * {@code ActiveState}, {@code SubState} or {@code UnitFileState} it calls the consumer with the resource key
 * {@code unit:<name>} (on dbus-java's signal thread; keep the consumer short). Signals of units not managed are
 * dropped. Systemd sends these only to subscribed clients: {@link DbusSystemd#connect} subscribes.
 */
public final class UnitWatcher implements AutoCloseable {
  private static final Set<String> WATCHED = Set.of("ActiveState", "SubState", "UnitFileState", "NRestarts");
  private final AutoCloseable handler;
  private volatile Set<String> managed = Set.of();

  /**
   * Starts watching; call {@link #manage} with the units to report.
   *
   * @throws IOException when the signal match cannot be added on the bus
   */
  public UnitWatcher(DbusSystemd systemd, Consumer<String> onChange) throws IOException {
    this(systemd.connection(), onChange);
  }

  /** Watches on a connection of its own; for tests on a private bus. */
  UnitWatcher(DBusConnection connection, Consumer<String> onChange) throws IOException {
    try {
      handler = connection.addSigHandler(Properties.PropertiesChanged.class, signal -> {
        if (!signal.getPath().startsWith(SystemdBus.MANAGER_PATH + "/unit/")
            || signal.getPropertiesChanged().keySet().stream().noneMatch(WATCHED::contains)) {
          return;
        }
        var unit = SystemdBus.unitName(signal.getPath());
        if (managed.contains(unit)) {
          onChange.accept("unit:" + unit);
        }
      });
    } catch (DBusException e) {
      throw new IOException("watch systemd units: " + e.getMessage(), e);
    }
  }

  /** The units to report from now on (the declared ones and the apps' units). */
  public void manage(Set<String> units) {
    managed = Set.copyOf(units);
  }

  @Override
  public void close() throws IOException {
    try {
      handler.close();
    } catch (Exception e) {
      throw new IOException("stop watching systemd units: " + e.getMessage(), e);
    }
  }
}
