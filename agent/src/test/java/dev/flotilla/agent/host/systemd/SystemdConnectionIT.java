package dev.flotilla.agent.host.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.rig.PrivateBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lazy, reconnecting D-Bus connection on a private dbus-daemon with a fake systemd Manager on it. */
class SystemdConnectionIT {
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
  private PrivateBus bus;
  private FakeSystemd fake;
  private SystemdConnection systemd;

  @BeforeEach
  void startBus() throws Exception {
    bus = PrivateBus.start();
    fake = FakeSystemd.start(bus.address());
    systemd = new SystemdConnection(bus.address(), log::add, Duration.ofMillis(50));
  }

  @AfterEach
  void stopBus() throws Exception {
    try {
      if (systemd != null) {
        systemd.close();
      }
      if (fake != null) {
        fake.close();
      }
    } finally {
      bus.close();
    }
  }

  @Test
  void connectsAtTheFirstCallNotBefore() throws Exception {
    systemd.watch(events::add);
    systemd.manage(Set.of("a.service"));
    assertThat(systemd.connected()).isFalse();
    assertThat(fake.subscribes).hasValue(0);

    assertThat(systemd.unit("a.service").activeState()).isEqualTo("active");

    assertThat(systemd.connected()).isTrue();
    assertThat(fake.subscribes).hasValue(1);
    fake.changed("a.service");
    assertThat(events.take()).isEqualTo("unit:a.service");
  }

  @Test
  void saysClearlyWhenThereIsNoBus(@TempDir Path dir) throws Exception {
    var address = "unix:path=" + dir.resolve("no-bus");
    try (var missing = new SystemdConnection(address, log::add)) {
      assertThatThrownBy(() -> missing.unit("a.service"))
          .isInstanceOf(SystemdUnavailableException.class)
          .hasMessageStartingWith("connect to systemd over D-Bus at " + address + ": ")
          .hasMessageEndingWith("; is systemd running?");
      assertThat(missing.connected()).isFalse();
      assertThatThrownBy(() -> missing.start("a.service")).as("the same answer, at once, for the next call")
          .isInstanceOf(SystemdUnavailableException.class).hasMessageStartingWith("connect to systemd over D-Bus");
    }
  }

  @Test
  void reconnectsSubscribesAndReReadsUnitsWhenTheBusDaemonRestarts() throws Exception {
    systemd.watch(events::add);
    systemd.manage(Set.of("a.service", "b.service"));
    systemd.unit("a.service");

    fake.close();
    bus.restart();
    fake = FakeSystemd.start(bus.address());

    assertThat(List.of(events.take(), events.take())).as("every managed unit is reported, to be read again")
        .containsExactlyInAnyOrder("unit:a.service", "unit:b.service");
    assertThat(fake.subscribes).hasValue(1);
    fake.changed("b.service");
    assertThat(events.take()).as("the watcher is attached to the new connection").isEqualTo("unit:b.service");
    assertThat(systemd.unit("a.service").activeState()).isEqualTo("active");
    assertThat(log).anyMatch(l -> l.startsWith("lost the D-Bus connection to systemd at " + bus.address() + ": ")
        && l.endsWith("; reconnecting"));
    assertThat(log).anyMatch(l -> l.startsWith("reconnected to systemd at " + bus.address() + " (attempt ")
        && l.endsWith(") and subscribed again; re-reading 2 managed unit(s)"));
  }

  @Test
  void reconnectsAtTheNextCallWhenNotWatching() throws Exception {
    systemd.unit("a.service");

    fake.close();
    bus.restart();
    fake = FakeSystemd.start(bus.address());
    eventually(() -> !systemd.connected());

    assertThat(systemd.unit("a.service").activeState()).isEqualTo("active");
    assertThat(fake.subscribes).hasValue(1);
  }

  @Test
  void subscribesAgainWhenSystemdComesBackOnTheSameBus() throws Exception {
    systemd.watch(events::add);
    systemd.manage(Set.of("a.service"));
    systemd.unit("a.service");

    fake.close();
    fake = FakeSystemd.start(bus.address());

    assertThat(events.take()).isEqualTo("unit:a.service");
    assertThat(fake.subscribes).hasValue(1);
    assertThat(log).contains("systemd at " + bus.address() + " is back on the bus; subscribed again, re-reading 1"
        + " managed unit(s)");
  }

  /** Waits until {@code condition} holds; fails after 60 s (a hang guard, not a performance limit). */
  private static void eventually(Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < 6000 && !condition.call(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.call()).as("condition within 60 s").isTrue();
  }
}
