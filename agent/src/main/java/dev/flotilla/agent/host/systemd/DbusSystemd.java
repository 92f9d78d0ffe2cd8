package dev.flotilla.agent.host.systemd;

import dev.flotilla.plan.ObservedUnit;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * {@link Systemd} over systemd's D-Bus API (dbus-java, native unix socket). It calls {@code Manager.Subscribe()}
 * once connected, so systemd sends job and unit signals, and waits for each job's {@code JobRemoved}.
 * Thread-safe. Every failure is an IOException in the form {@code <action> unit '<name>': <cause>}.
 */
public final class DbusSystemd implements Systemd {
  private static final long JOB_TIMEOUT_SECONDS = 300;
  private static final long JOB_CHECK_SECONDS = 2;
  private static final String JOB = "org.freedesktop.systemd1.Job";
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;
  private final String address;
  private final DBusConnection connection;
  private final SystemdBus.Manager manager;
  private final Map<String, CompletableFuture<String>> jobs = new LinkedHashMap<>();

  /** What a connection tells its owner, on dbus-java's threads; keep it short. */
  interface Events {
    Events NONE = new Events() { };

    /** The bus connection is gone (the bus daemon stopped, or the socket broke); jobs waited for have failed. */
    default void lost(DbusSystemd systemd, IOException cause) {
    }

    /** systemd took its name on the bus again (it was re-executed or restarted); {@link #subscribe()} again. */
    default void systemdBack(DbusSystemd systemd) {
    }
  }

  private DbusSystemd(String address, DBusConnection connection, Events events) throws DBusException {
    this.address = address;
    this.connection = connection;
    this.manager = connection.getRemoteObject(SystemdBus.BUS_NAME, SystemdBus.MANAGER_PATH, SystemdBus.Manager.class);
    connection.addSigHandler(SystemdBus.Manager.JobRemoved.class, signal -> job(signal.job).complete(signal.result));
    connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
      if (SystemdBus.BUS_NAME.equals(signal.name) && !signal.newOwner.isEmpty()) {
        events.systemdBack(this);
      }
    });
    manager.Subscribe();
  }

  /**
   * Connects to systemd on the bus at {@code address} ({@code unix:path=…}) and subscribes to its signals.
   *
   * @throws SystemdUnavailableException when the bus cannot be reached or systemd is not on it
   */
  public static DbusSystemd connect(String address) throws IOException {
    return connect(address, Events.NONE);
  }

  /** As {@link #connect(String)}, telling {@code events} when the connection is lost or systemd comes back. */
  static DbusSystemd connect(String address, Events events) throws IOException {
    DBusConnection connection = null;
    var lost = new LostCallback(events);
    try {
      // dbus-java retries a refused connect every 500 ms up to its timeout (10 s by default); the agent retries by
      // itself, so one more attempt is enough
      connection = DBusConnectionBuilder.forAddress(address).withShared(false).withDisconnectCallback(lost)
          .transportConfig().withTimeout(CONNECT_TIMEOUT_MILLIS).back().build();
      var systemd = new DbusSystemd(address, connection, events);
      lost.systemd = systemd;
      return systemd;
    } catch (DBusException | DBusExecutionException e) {
      closeQuietly(connection);
      throw new SystemdUnavailableException("connect to systemd over D-Bus at " + address + ": " + e.getMessage()
          + "; is systemd running?", e);
    }
  }

  /**
   * Asks systemd again to send unit and job signals ({@code Manager.Subscribe()}); a systemd that kept the
   * subscription (a re-executed one does) counts as subscribed.
   */
  void subscribe() throws IOException {
    try {
      manager.Subscribe();
    } catch (DBusExecutionException e) {
      var kept = String.valueOf(e.getType()).endsWith(".AlreadySubscribed")
          || String.valueOf(e.getMessage()).contains("already subscribed");
      if (!kept) {
        throw new IOException("subscribe to systemd at " + address + ": " + e.getMessage(), e);
      }
    }
  }

  /** Whether the bus connection is still up. */
  boolean connected() {
    return connection.isConnected();
  }

  /** Fails every job being waited for, then tells the owner. */
  private static final class LostCallback implements IDisconnectCallback {
    private final Events events;
    private volatile DbusSystemd systemd;

    LostCallback(Events events) {
      this.events = events;
    }

    @Override
    public void disconnectOnError(IOException cause) {
      var lost = systemd;
      if (lost != null) {
        lost.failJobs(cause);
        events.lost(lost, cause);
      }
    }
  }

  private void failJobs(IOException cause) {
    synchronized (jobs) {
      jobs.values().forEach(job -> job.completeExceptionally(cause));
      jobs.clear();
    }
  }

  /** The connection, for {@link UnitWatcher}. */
  DBusConnection connection() {
    return connection;
  }

  @Override
  public ObservedUnit unit(String unit) throws IOException {
    try {
      var path = manager.LoadUnit(unit).getPath();
      var properties = connection.getRemoteObject(SystemdBus.BUS_NAME, path, Properties.class);
      var all = properties.GetAll(SystemdBus.UNIT);
      var service = unit.endsWith(".service");
      return new ObservedUnit(unit, text(all.get("LoadState")), text(all.get("ActiveState")),
          text(all.get("SubState")), text(all.get("UnitFileState")),
          service ? text(properties.Get(SystemdBus.SERVICE, "Result")) : "",
          service ? (int) number(properties.Get(SystemdBus.SERVICE, "ExecMainStatus")) : 0,
          service ? number(properties.Get(SystemdBus.SERVICE, "NRestarts")) : 0,
          number(all.get("ActiveEnterTimestamp")));
    } catch (DBusException | DBusExecutionException e) {
      throw failure("observe", unit, e);
    }
  }

  @Override
  public void start(String unit) throws IOException {
    runJob("start", unit, () -> manager.StartUnit(unit, "replace"));
  }

  @Override
  public void restart(String unit) throws IOException {
    runJob("restart", unit, () -> manager.RestartUnit(unit, "replace"));
  }

  @Override
  public void stop(String unit) throws IOException {
    runJob("stop", unit, () -> manager.StopUnit(unit, "replace"));
  }

  @Override
  public void enable(String unit, boolean enable) throws IOException {
    try {
      if (enable) {
        manager.EnableUnitFiles(List.of(unit), false, true);
      } else {
        manager.DisableUnitFiles(List.of(unit), false);
      }
    } catch (DBusExecutionException e) {
      throw failure(enable ? "enable" : "disable", unit, e);
    }
  }

  @Override
  public void reload() throws IOException {
    try {
      manager.Reload();
    } catch (DBusExecutionException e) {
      throw new IOException("reload systemd at '" + address + "': " + e.getMessage(), e);
    }
  }

  private void runJob(String action, String unit, java.util.function.Supplier<DBusPath> call) throws IOException {
    String result;
    try {
      var path = call.get().getPath();
      result = awaitJob(path, job(path), action, unit);
    } catch (DBusExecutionException e) {
      throw failure(action, unit, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(action + " unit '" + unit + "': interrupted while waiting for its job", e);
    } catch (ExecutionException e) {
      throw new IOException(action + " unit '" + unit + "': lost the bus while waiting for its job: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(action + " unit '" + unit + "': its job did not finish in " + JOB_TIMEOUT_SECONDS + "s",
          e);
    }
    if (!"done".equals(result)) {
      var seen = unit(unit);
      throw new IOException(action + " unit '" + unit + "': job " + result + ", unit " + seen.activeState()
          + " (result '" + seen.result() + "', ExecMainStatus " + seen.execMainStatus() + "); see 'journalctl -u "
          + unit + "'");
    }
  }

  /**
   * The job's result from its {@code JobRemoved} signal. Every {@value #JOB_CHECK_SECONDS} s without one, asks whether
   * the job is still queued: when it is gone and its signal never came (seen with a busy bus), the result is read off
   * the unit instead of waiting the whole timeout for a signal that will not come.
   */
  private String awaitJob(String path, CompletableFuture<String> job, String action, String unit)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOB_TIMEOUT_SECONDS);
    while (true) {
      try {
        return job.get(JOB_CHECK_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        if (!jobQueued(path)) {
          return job.isDone() ? job.get() : resultFromUnit(action, unit);
        }
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private boolean jobQueued(String path) {
    try {
      connection.getRemoteObject(SystemdBus.BUS_NAME, path, Properties.class).Get(JOB, "State");
      return true;
    } catch (DBusException | DBusExecutionException e) {
      return false;
    }
  }

  /**
   * What a finished job of {@code action} most likely ended as, when its signal never came: {@code failed} only when
   * the unit is plainly not where the job put it (failed after a start or restart, still active after a stop);
   * otherwise {@code done}, and the health check or the next observation judges the unit, as after any job.
   */
  private String resultFromUnit(String action, String unit) throws IOException {
    var state = unit(unit).activeState();
    boolean missed = "stop".equals(action) ? "active".equals(state) : "failed".equals(state);
    return missed ? "failed" : "done";
  }


  /**
   * The future of a job's result, made by whichever comes first: the caller holding the job path or the signal
   * (which can arrive before the method's reply). Keeps the 256 latest, so jobs of other clients do not pile up.
   */
  private CompletableFuture<String> job(String path) {
    synchronized (jobs) {
      var future = jobs.remove(path);
      if (future == null) {
        future = new CompletableFuture<>();
        jobs.put(path, future);
      } else if (!future.isDone()) {
        jobs.put(path, future);
      }
      while (jobs.size() > 256) {
        jobs.remove(jobs.keySet().iterator().next());
      }
      return future;
    }
  }

  private static String text(Object value) {
    var raw = value instanceof Variant<?> v ? v.getValue() : value;
    return raw == null ? "" : raw.toString();
  }

  private static long number(Object value) {
    var raw = value instanceof Variant<?> v ? v.getValue() : value;
    return switch (raw) {
      case UInt64 u -> u.longValue();
      case UInt32 u -> u.longValue();
      case Number n -> n.longValue();
      case null, default -> 0;
    };
  }

  private IOException failure(String action, String unit, Exception e) {
    return new IOException(action + " unit '" + unit + "': " + e.getMessage(), e);
  }

  private static void closeQuietly(DBusConnection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
