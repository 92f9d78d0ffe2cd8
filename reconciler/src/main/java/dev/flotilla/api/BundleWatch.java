package dev.flotilla.api;

import dev.flotilla.publish.Published;
import dev.flotilla.publish.Publisher;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Long-poll support: a request that already has a device's current bundle waits here until a newer one is
 * published or its time is up. One condition for all devices keeps it simple; waiters re-check their own device
 * after each publish, which is cheap next to signing.
 */
final class BundleWatch {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition published = lock.newCondition();
  private final Publisher publisher;

  BundleWatch(Publisher publisher) {
    this.publisher = publisher;
  }

  /** Called after every publish pass. */
  void changed() {
    lock.lock();
    try {
      published.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The device's bundle once it differs from {@code etag}, or the unchanged one when {@code wait} runs out. */
  Published await(String device, String etag, Duration wait) throws InterruptedException {
    var deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (true) {
        var current = publisher.get(device);
        var left = deadline - System.nanoTime();
        if (current == null || !current.etag().equals(etag) || left <= 0) {
          return current;
        }
        published.await(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
