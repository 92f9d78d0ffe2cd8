package dev.flotilla.agent.drift;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Collects change events (resource keys such as {@code file:/etc/motd}, {@code sysctl:vm.swappiness}, {@code
 * unit:foo.service}) from any thread and hands them to the one thread that waits, once a burst has settled: when
 * no event came for {@code quiet}, or at the latest {@code 10 × quiet} after the first event of the burst, so a file
 * rewritten in a loop still gets corrected. Thread-safe; {@link #accept} never blocks for long.
 */
public final class Debouncer implements Consumer<String> {
  private static final int MAX_QUIET_PERIODS = 10;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Set<String> pending = new TreeSet<>();
  private volatile long quietNanos;
  private long firstAt;
  private long lastAt;

  public Debouncer(Duration quiet) {
    this.quietNanos = quiet.toNanos();
  }

  /** Sets how long a burst must be quiet (the bundle's {@code driftTiming.debounce} may change it). */
  public void quiet(Duration quiet) {
    this.quietNanos = quiet.toNanos();
  }

  /** Records that {@code resourceKey} changed. */
  @Override
  public void accept(String resourceKey) {
    lock.lock();
    try {
      var now = System.nanoTime();
      if (pending.isEmpty()) {
        firstAt = now;
      }
      lastAt = now;
      pending.add(resourceKey);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes a thread in {@link #await} so it checks its condition again (such as a finished long-poll). */
  public void poke() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a burst has settled or {@code done} holds, whichever is first.
   *
   * @return the keys of the settled burst, sorted, or an empty set when {@code done} became true first
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public Set<String> await(BooleanSupplier done) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (done.getAsBoolean()) {
          return Set.of();
        }
        if (pending.isEmpty()) {
          changed.await();
          continue;
        }
        var now = System.nanoTime();
        var due = Math.min(lastAt + quietNanos, firstAt + MAX_QUIET_PERIODS * quietNanos);
        if (now - due >= 0) {
          var keys = Collections.unmodifiableSortedSet(new TreeSet<>(pending));
          pending.clear();
          return keys;
        }
        changed.await(due - now, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
