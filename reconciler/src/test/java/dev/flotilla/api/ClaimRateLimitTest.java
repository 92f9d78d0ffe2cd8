package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClaimRateLimitTest {
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void allowsABurstOfFailuresThenOnePerRefill() {
    var clock = new MovableClock();
    var limit = new ClaimRateLimit(3, Duration.ofSeconds(10), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(limit.allowed("10.0.0.1")).isTrue();
      limit.failed("10.0.0.1");
    }
    assertThat(limit.allowed("10.0.0.1")).isFalse();
    assertThat(limit.allowed("10.0.0.2")).as("another source").isTrue();
    clock.now = clock.now.plusSeconds(9);
    assertThat(limit.allowed("10.0.0.1")).isFalse();
    clock.now = clock.now.plusSeconds(1);
    assertThat(limit.allowed("10.0.0.1")).isTrue();
    limit.failed("10.0.0.1");
    assertThat(limit.allowed("10.0.0.1")).isFalse();
  }

  @Test
  void successesCostNothing() {
    var limit = new ClaimRateLimit(1, Duration.ofMinutes(1), new MovableClock());
    for (int i = 0; i < 100; i++) {
      assertThat(limit.allowed("192.168.1.9")).isTrue();
    }
  }
}
