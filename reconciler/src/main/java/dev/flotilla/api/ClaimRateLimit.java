package dev.flotilla.api;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per source address for failed claims: each source may fail {@code burst} times, then once per
 * {@code refill}. Successful claims cost nothing, so a hundred devices enrolling from behind one NAT are not
 * slowed. Thread-safe; forgets full buckets when it tracks too many sources.
 */
final class ClaimRateLimit {
  static final int MAX_SOURCES = 10_000;
  private final int burst;
  private final Duration refill;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private record Bucket(double tokens, long atNanos) {}

  ClaimRateLimit(int burst, Duration refill, Clock clock) {
    this.burst = burst;
    this.refill = refill;
    this.clock = clock;
  }

  /** Whether {@code source} may try a claim now. */
  boolean allowed(String source) {
    return current(source).tokens() >= 1;
  }

  /** Spends one try of {@code source} after a failed claim. */
  void failed(String source) {
    if (buckets.size() > MAX_SOURCES) {
      buckets.entrySet().removeIf(e -> e.getValue().tokens() >= burst - 1);
    }
    buckets.compute(source, (k, old) -> {
      var now = refilled(old);
      return new Bucket(Math.max(0, now.tokens() - 1), now.atNanos());
    });
  }

  private Bucket current(String source) {
    return refilled(buckets.get(source));
  }

  private Bucket refilled(Bucket bucket) {
    long now = clock.millis() * 1_000_000L;
    if (bucket == null) {
      return new Bucket(burst, now);
    }
    double gained = (now - bucket.atNanos()) / (double) refill.toNanos();
    return new Bucket(Math.min(burst, bucket.tokens() + gained), now);
  }
}
