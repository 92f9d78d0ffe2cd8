package dev.flotilla.agent.host.systemd;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The parts of systemd's D-Bus API the agent calls, as dbus-java binds them (method names are systemd's). */
final class SystemdBus {
  static final String BUS_NAME = "org.freedesktop.systemd1";
  static final String MANAGER_PATH = "/org/freedesktop/systemd1";
  static final String UNIT = "org.freedesktop.systemd1.Unit";
  static final String SERVICE = "org.freedesktop.systemd1.Service";

  private SystemdBus() {
  }

  /** {@code org.freedesktop.systemd1.Manager}. */
  @DBusInterfaceName("org.freedesktop.systemd1.Manager")
  @SuppressWarnings("checkstyle:MethodName")
  interface Manager extends DBusInterface {
    void Subscribe();

    DBusPath LoadUnit(String name);

    DBusPath StartUnit(String name, String mode);

    DBusPath StopUnit(String name, String mode);

    DBusPath RestartUnit(String name, String mode);

    EnableResult EnableUnitFiles(List<String> files, boolean runtime, boolean force);

    List<UnitFileChange> DisableUnitFiles(List<String> files, boolean runtime);

    void Reload();

    /** Sent when a job finished; {@code result} is {@code done} on success. */
    class JobRemoved extends DBusSignal {
      final String job;
      final String unit;
      final String result;

      public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
        super(path, id, job, unit, result);
        this.job = job.getPath();
        this.unit = unit;
        this.result = result;
      }
    }
  }

  /** What {@code EnableUnitFiles} returns. */
  public static final class EnableResult extends Tuple {
    @Position(0)
    public final boolean carriesInstallInfo;
    @Position(1)
    public final List<UnitFileChange> changes;

    public EnableResult(boolean carriesInstallInfo, List<UnitFileChange> changes) {
      this.carriesInstallInfo = carriesInstallInfo;
      this.changes = changes;
    }
  }

  /** One symlink {@code EnableUnitFiles} or {@code DisableUnitFiles} made or removed: type, file, destination. */
  public static final class UnitFileChange extends Struct {
    @Position(0)
    public final String type;
    @Position(1)
    public final String file;
    @Position(2)
    public final String destination;

    public UnitFileChange(String type, String file, String destination) {
      this.type = type;
      this.file = file;
      this.destination = destination;
    }
  }

  /** The unit's object path, as systemd escapes names: every byte but [A-Za-z0-9] as {@code _xx}. */
  static String unitName(String objectPath) {
    var escaped = objectPath.substring(objectPath.lastIndexOf('/') + 1);
    var name = new StringBuilder();
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '_' && i + 2 < escaped.length()) {
        name.append((char) Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }
}
