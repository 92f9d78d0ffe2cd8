package dev.flotilla.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DebouncerTest {
  @Test
  void handsOverABurstAsOneSortedSet() throws InterruptedException {
    var debouncer = new Debouncer(Duration.ofMillis(20));
    debouncer.accept("sysctl:vm.swappiness");
    debouncer.accept("file:/etc/motd");
    debouncer.accept("file:/etc/motd");

    assertThat(debouncer.await(() -> false)).containsExactly("file:/etc/motd", "sysctl:vm.swappiness");
  }

  @Test
  void returnsNothingWhenTheOtherConditionHoldsFirst() throws InterruptedException {
    var debouncer = new Debouncer(Duration.ofMillis(20));
    var done = new AtomicBoolean();
    Thread.ofVirtual().start(() -> {
      done.set(true);
      debouncer.poke();
    });

    assertThat(debouncer.await(done::get)).isEmpty();
  }

  @Test
  void keepsEventsForTheNextWaitWhenTheOtherConditionWins() throws InterruptedException {
    var debouncer = new Debouncer(Duration.ofMillis(20));
    debouncer.accept("unit:foo.service");

    assertThat(debouncer.await(() -> true)).isEmpty();
    assertThat(debouncer.await(() -> false)).containsExactly("unit:foo.service");
  }

  @Test
  void eventsFromAnotherThreadWakeAWaiter() throws InterruptedException {
    var debouncer = new Debouncer(Duration.ofMillis(10));
    Thread.ofVirtual().start(() -> debouncer.accept("unit:foo.service"));

    assertThat(debouncer.await(() -> false)).containsExactly("unit:foo.service");
  }
}
