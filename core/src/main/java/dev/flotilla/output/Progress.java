package dev.flotilla.output;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A one-line "still working" note on standard error while long work runs, such as validating 10,000 devices: the
 * line is rewritten in place every half second and cleared at the end. Only on a terminal; in a pipe or a file
 * (CI logs, {@code -o json | jq}) it writes nothing.
 */
public final class Progress implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(500);
  private final PrintWriter err;
  private final String what;
  private final long started = System.nanoTime();
  private final Thread ticker;
  private volatile boolean done;

  private Progress(PrintWriter err, String what, boolean terminal) {
    this.err = err;
    this.what = what;
    this.ticker = terminal ? Thread.ofVirtual().name("progress").start(this::tick) : null;
  }

  /** Shows {@code what} (such as {@code validate: 10342 files}) with the seconds elapsed, when stderr is a terminal. */
  public static Progress onTerminal(PrintWriter err, String what) {
    return new Progress(err, what, terminal());
  }

  /**
   * Whether this process runs on a terminal: {@code System.console()} is null in a pipe up to JDK 21; from JDK 22
   * it is not, and {@code Console.isTerminal()} (not in the JDK 21 API this is compiled against) says so.
   */
  static boolean terminal() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Whether anything is shown (only on a terminal). */
  public boolean shown() {
    return ticker != null;
  }

  private void tick() {
    try {
      Thread.sleep(EVERY);
      while (!done) {
        synchronized (err) {
          err.print("\r" + what + ", " + (System.nanoTime() - started) / 1_000_000_000 + " s ...");
          err.flush();
        }
        Thread.sleep(EVERY);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops and clears the line, so what the command prints next starts at the left edge. */
  @Override
  public void close() {
    done = true;
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (err) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
