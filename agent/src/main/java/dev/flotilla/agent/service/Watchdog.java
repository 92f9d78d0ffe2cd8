package dev.flotilla.agent.service;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends {@code WATCHDOG=1} at half the interval systemd asked for ({@code WatchdogSec=} reaches the service as
 * {@code $WATCHDOG_USEC}), for as long as {@code alive} holds: when the agent loop's thread dies the pings stop and
 * systemd restarts the service. A daemon virtual thread; {@link #close} stops it.
 */
public final class Watchdog implements AutoCloseable {
  private final Thread thread;

  private Watchdog(Thread thread) {
    this.thread = thread;
  }

  /**
   * The interval to ping at for {@code $WATCHDOG_USEC} and {@code $WATCHDOG_PID}: half the timeout; empty when the
   * watchdog is off, the value is not a positive number, or it is meant for another process.
   */
  public static Optional<Duration> interval(String watchdogUsec, String watchdogPid, long ownPid) {
    if (watchdogUsec == null || !watchdogUsec.matches("[0-9]{1,18}")
        || (watchdogPid != null && !watchdogPid.equals(Long.toString(ownPid)))) {
      return Optional.empty();
    }
    var usec = Long.parseLong(watchdogUsec);
    return usec <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(usec * 1000 / 2));
  }

  /** Starts pinging {@code notify} every {@code every}; failures go to {@code log}, once per run of failures. */
  public static Watchdog start(SdNotify notify, Duration every, BooleanSupplier alive, Consumer<String> log) {
    return new Watchdog(Thread.ofVirtual().name("watchdog").start(() -> {
      var failing = false;
      try {
        while (alive.getAsBoolean()) {
          try {
            notify.send("WATCHDOG=1");
            failing = false;
          } catch (IOException e) {
            if (!failing) {
              log.accept(e.getMessage());
            }
            failing = true;
          }
          Thread.sleep(every);
        }
      } catch (InterruptedException e) {
        // closed
      }
    }));
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
