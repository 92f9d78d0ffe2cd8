package dev.flotilla.api;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on work done for callers not yet authenticated (reading and checking a claim or an unverified status
 * body): at most {@code running} at once and {@code waiting} more queued for up to {@code maxWait} each; anyone
 * beyond that is refused at once, so a flood costs a bounded amount of memory. Thread-safe.
 */
final class Admission {
  private final Semaphore running;
  private final int capacity;
  private final Duration maxWait;
  private final AtomicInteger admitted = new AtomicInteger();

  Admission(int running, int waiting, Duration maxWait) {
    this.running = new Semaphore(running, true);
    this.capacity = running + waiting;
    this.maxWait = maxWait;
  }

  /** Whether the caller may go on now (after queueing); when true it must call {@link #leave()} once. */
  boolean enter() throws InterruptedException {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      return false;
    }
    boolean entered = false;
    try {
      entered = running.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      return entered;
    } finally {
      if (!entered) {
        admitted.decrementAndGet();
      }
    }
  }

  void leave() {
    running.release();
    admitted.decrementAndGet();
  }
}
