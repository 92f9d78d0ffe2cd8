package dev.flotilla.agent.host.systemd;

import dev.flotilla.plan.ObservedUnit;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Systemd} over D-Bus as the agent uses it: connected lazily, and again after the connection is lost.
 *
 * <ul>
 *   <li>Lazy: nothing connects until the first call, so an agent whose bundles declare no units and no apps runs
 *       without a bus (and never loads dbus-java's classes). A call that cannot connect throws {@link
 *       SystemdUnavailableException} ({@code connect to systemd over D-Bus at <address>: <cause>; is systemd
 *       running?}); a call within the first reconnect delay (1 s) gets the same answer, a later one tries again.
 *   <li>Lost connection (dbus-daemon restarted, the socket broke): a call that fails on a dead connection connects
 *       again and is tried once more. While {@link #watch watching}, the loss is noticed at once (dbus-java's
 *       disconnect callback) and a background thread reconnects with backoff (doubling up to 30 s), subscribes
 *       again, re-attaches the unit watcher and reports every managed unit as changed, so the agent's next local
 *       pass re-reads their state and corrects what drifted meanwhile.
 *   <li>systemd re-executed or restarted on a bus that stayed up: it takes its name again; the connection
 *       subscribes again and reports every managed unit as changed.
 * </ul>
 * Each step is logged. Thread-safe.
 */
public final class SystemdConnection implements Systemd {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private final String address;
  private final Consumer<String> log;
  private final Duration firstBackoff;
  private final Object lock = new Object();
  private final DbusSystemd.Events events = new Events();
  private DbusSystemd bus;
  private UnitWatcher watcher;
  private Consumer<String> onChange;
  private volatile Set<String> managed = Set.of();
  private Thread reconnecting;
  private SystemdUnavailableException failure;
  private long failedAt;
  private boolean closed;

  /** A connection to the bus at {@code address} ({@code unix:path=…}), made at the first call. */
  public SystemdConnection(String address, Consumer<String> log) {
    this(address, log, Duration.ofSeconds(1));
  }

  /** As the public constructor, with the first reconnect delay (tests make it short). */
  SystemdConnection(String address, Consumer<String> log, Duration firstBackoff) {
    this.address = address;
    this.log = log;
    this.firstBackoff = firstBackoff;
  }

  /** Whether a connection is up now. */
  public boolean connected() {
    synchronized (lock) {
      return bus != null && bus.connected();
    }
  }

  /**
   * Reports, from now on and across reconnects, {@code unit:<name>} to {@code onChange} when a managed unit changes
   * (see {@link UnitWatcher}). Does not connect: the watcher is attached when the connection is made.
   *
   * @throws IOException when connected and the signal match cannot be added
   */
  public void watch(Consumer<String> onChange) throws IOException {
    synchronized (lock) {
      this.onChange = onChange;
      if (bus != null && watcher == null) {
        watcher = new UnitWatcher(bus, onChange);
        watcher.manage(managed);
      }
    }
  }

  /** The units to report from now on. */
  public void manage(Set<String> units) {
    synchronized (lock) {
      managed = Set.copyOf(units);
      if (watcher != null) {
        watcher.manage(managed);
      }
    }
  }

  @Override
  public ObservedUnit unit(String unit) throws IOException {
    return call(systemd -> systemd.unit(unit));
  }

  @Override
  public void start(String unit) throws IOException {
    run(systemd -> systemd.start(unit));
  }

  @Override
  public void restart(String unit) throws IOException {
    run(systemd -> systemd.restart(unit));
  }

  @Override
  public void stop(String unit) throws IOException {
    run(systemd -> systemd.stop(unit));
  }

  @Override
  public void enable(String unit, boolean enable) throws IOException {
    run(systemd -> systemd.enable(unit, enable));
  }

  @Override
  public void reload() throws IOException {
    run(DbusSystemd::reload);
  }

  private void run(BusAction action) throws IOException {
    call(systemd -> {
      action.on(systemd);
      return null;
    });
  }

  /** Runs {@code call} on the connection, connecting first; once more on a new connection when it was lost. */
  private <T> T call(BusCall<T> call) throws IOException {
    var current = bus();
    try {
      return call.on(current);
    } catch (IOException | RuntimeException e) {
      if (current.connected()) {
        throw e;
      }
      lost(current, e.getMessage());
      return call.on(bus());
    }
  }

  private DbusSystemd bus() throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IOException("use systemd at " + address + ": the agent is stopping");
      }
      if (bus == null) {
        // a pass and its report ask for many units: one failed connect answers them all for a moment
        if (failure != null && System.nanoTime() - failedAt < firstBackoff.toNanos()) {
          throw new SystemdUnavailableException(failure.getMessage(), failure);
        }
        try {
          bus = open();
          failure = null;
        } catch (SystemdUnavailableException e) {
          failure = e;
          failedAt = System.nanoTime();
          throw e;
        }
      }
      return bus;
    }
  }

  /** Connects (which subscribes) and attaches the watcher when watching. Called holding the lock. */
  private DbusSystemd open() throws IOException {
    var opened = DbusSystemd.connect(address, events);
    if (onChange != null) {
      try {
        watcher = new UnitWatcher(opened, onChange);
        watcher.manage(managed);
      } catch (IOException e) {
        opened.close();
        throw e;
      }
    }
    return opened;
  }

  /** Forgets a lost connection (once), and reconnects in the background while watching. */
  private void lost(DbusSystemd which, String cause) {
    synchronized (lock) {
      if (bus != which) {
        return;
      }
      bus = null;
      watcher = null;
      if (onChange != null && !closed && (reconnecting == null || !reconnecting.isAlive())) {
        reconnecting = Thread.ofVirtual().name("flotilla-systemd-reconnect").start(this::reconnect);
      }
    }
    log.accept("lost the D-Bus connection to systemd at " + address + ": " + cause + "; reconnecting");
    // closed on its own thread: this may run on the dead connection's own thread
    Thread.ofVirtual().start(() -> closeQuietly(which));
  }

  private void reconnect() {
    var delay = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      try {
        Thread.sleep(delay);
        synchronized (lock) {
          if (closed) {
            return;
          }
          if (bus == null) {
            bus = open();
          }
        }
        log.accept("reconnected to systemd at " + address + " (attempt " + attempt + ") and subscribed again;"
            + " re-reading " + managed.size() + " managed unit(s)");
        resync();
        return;
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        delay = delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay.multipliedBy(2);
        log.accept("reconnect to systemd (attempt " + attempt + "): " + e.getMessage() + "; next try in "
            + delay.toMillis() + " ms");
      }
    }
  }

  /** Reports every managed unit as changed, so the agent re-reads them all. */
  private void resync() {
    Consumer<String> target;
    synchronized (lock) {
      target = onChange;
    }
    if (target != null) {
      managed.forEach(unit -> target.accept("unit:" + unit));
    }
  }

  @Override
  public void close() throws IOException {
    DbusSystemd open;
    synchronized (lock) {
      closed = true;
      open = bus;
      bus = null;
      watcher = null;
      if (reconnecting != null) {
        reconnecting.interrupt();
      }
    }
    if (open != null) {
      open.close();
    }
  }

  private static void closeQuietly(DbusSystemd systemd) {
    try {
      systemd.close();
    } catch (IOException ignored) {
      // the connection is gone already; closing only frees what is left of it
    }
  }

  @FunctionalInterface
  private interface BusCall<T> {
    T on(DbusSystemd systemd) throws IOException;
  }

  @FunctionalInterface
  private interface BusAction {
    void on(DbusSystemd systemd) throws IOException;
  }

  private final class Events implements DbusSystemd.Events {
    @Override
    public void lost(DbusSystemd systemd, IOException cause) {
      SystemdConnection.this.lost(systemd, cause.getMessage());
    }

    @Override
    public void systemdBack(DbusSystemd systemd) {
      Thread.ofVirtual().start(() -> {
        try {
          systemd.subscribe();
          log.accept("systemd at " + address + " is back on the bus; subscribed again, re-reading "
              + managed.size() + " managed unit(s)");
          resync();
        } catch (IOException e) {
          log.accept(e.getMessage() + "; units are checked at each poll until it answers");
        }
      });
    }
  }
}
