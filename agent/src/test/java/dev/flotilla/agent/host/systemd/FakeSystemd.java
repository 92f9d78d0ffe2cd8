package dev.flotilla.agent.host.systemd;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * A stand-in for systemd's Manager on a private bus, for unit tests of the agent's D-Bus side without a systemd:
 * it owns {@code org.freedesktop.systemd1}, counts {@code Subscribe} calls, knows every unit as active and sends
 * {@code PropertiesChanged} for a unit when asked. It runs no jobs (a real systemd does that in the nspawn ITs).
 */
public final class FakeSystemd implements AutoCloseable {
  final AtomicInteger subscribes = new AtomicInteger();
  final AtomicInteger loads = new AtomicInteger();
  private final DBusConnection connection;
  private final Map<String, UnitObject> units = new ConcurrentHashMap<>();

  private FakeSystemd(DBusConnection connection) {
    this.connection = connection;
  }

  /** Connects to the bus at {@code address}, exports the Manager and takes systemd's name. */
  static FakeSystemd start(String address) throws DBusException {
    var connection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
    var fake = new FakeSystemd(connection);
    connection.exportObject(SystemdBus.MANAGER_PATH, fake.new Manager());
    connection.requestBusName(SystemdBus.BUS_NAME);
    return fake;
  }

  /** Sends {@code PropertiesChanged} with a new {@code ActiveState} for {@code unit}, as systemd does. */
  void changed(String unit) throws DBusException {
    connection.sendMessage(new Properties.PropertiesChanged(path(unit), SystemdBus.UNIT,
        Map.of("ActiveState", new Variant<>("inactive")), List.of()));
  }

  private static String path(String unit) {
    var escaped = new StringBuilder();
    for (var b : unit.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      escaped.append(Character.isLetterOrDigit(c) && c < 128 ? String.valueOf(c) : String.format("_%02x", (int) c));
    }
    return SystemdBus.MANAGER_PATH + "/unit/" + escaped;
  }

  @Override
  public void close() {
    connection.disconnect();
  }

  /** The part of {@code org.freedesktop.systemd1.Manager} the fake answers (dbus-java exports public interfaces). */
  @DBusInterfaceName("org.freedesktop.systemd1.Manager")
  @SuppressWarnings("checkstyle:MethodName")
  public interface ManagerCalls extends DBusInterface {
    void Subscribe();

    DBusPath LoadUnit(String name);

    void Reload();
  }

  private final class Manager implements ManagerCalls {
    @Override
    public void Subscribe() {
      subscribes.incrementAndGet();
    }

    @Override
    public DBusPath LoadUnit(String name) {
      loads.incrementAndGet();
      var path = path(name);
      units.computeIfAbsent(path, p -> {
        var unit = new UnitObject(p);
        try {
          connection.exportObject(p, unit);
        } catch (DBusException e) {
          throw new IllegalStateException(e);
        }
        return unit;
      });
      return new DBusPath(path);
    }

    @Override
    public void Reload() {
    }

    @Override
    public String getObjectPath() {
      return SystemdBus.MANAGER_PATH;
    }
  }

  /** A unit object: its properties, always active and running. */
  private record UnitObject(String path) implements Properties {
    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String property) {
      return (A) all().get(property);
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
      return all();
    }

    private static Map<String, Variant<?>> all() {
      return Map.of("LoadState", new Variant<>("loaded"), "ActiveState", new Variant<>("active"),
          "SubState", new Variant<>("running"), "UnitFileState", new Variant<>("enabled"),
          "Result", new Variant<>("success"), "ExecMainStatus", new Variant<>(0),
          "NRestarts", new Variant<>(new UInt32(0)), "ActiveEnterTimestamp", new Variant<>(new UInt64(1)));
    }

    @Override
    public String getObjectPath() {
      return path;
    }
  }
}
