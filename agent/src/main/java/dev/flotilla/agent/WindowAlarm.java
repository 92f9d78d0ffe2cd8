package dev.flotilla.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wakes the agent's loop when a maintenance window opens for the changes it holds: at that instant it reports
 * {@value #KEY} to the loop's wake-up (half a second late), which runs a local pass. One alarm at a time; setting it
 * again replaces it; setting the same instant again after it rang (the pass found the window not open yet) re-arms it.
 * Thread-safe.
 */
final class WindowAlarm {
  /** What the loop's log names as the cause of the pass. */
  static final String KEY = "window:open";
  private static final long MARGIN_MILLIS = 500;
  private final Consumer<String> wake;
  private Instant at;
  private CompletableFuture<Void> pending;

  WindowAlarm(Consumer<String> wake) {
    this.wake = wake;
  }

  /** Rings at {@code at} by {@code clock} (at once when it has passed); null cancels the alarm. */
  synchronized void set(Instant at, Clock clock) {
    if (at != null && at.equals(this.at) && pending != null && !pending.isDone()) {
      return;
    }
    cancel();
    this.at = at;
    if (at != null) {
      // a little after the opening: a timer that rings early would find the window still closed
      var delay = Math.max(0, Duration.between(clock.instant(), at).toMillis()) + MARGIN_MILLIS;
      pending = CompletableFuture.runAsync(() -> wake.accept(KEY),
          CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
    }
  }

  synchronized void cancel() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
    at = null;
  }
}
