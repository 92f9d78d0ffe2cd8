package dev.flotilla.agent.host.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.rig.PrivateBus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UnitWatcher and DbusSystemd on a private dbus-daemon: signals as systemd sends them, without systemd. */
class UnitWatcherIT {
  private PrivateBus bus;

  @BeforeEach
  void startBus() throws Exception {
    bus = PrivateBus.start();
  }

  @AfterEach
  void stopBus() throws Exception {
    bus.close();
  }

  @Test
  void reportsManagedUnitsByResourceKeyAndDropsTheRest() throws Exception {
    var events = new LinkedBlockingQueue<String>();
    try (var listener = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
         var sender = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
         var watcher = new UnitWatcher(listener, events::add)) {
      watcher.manage(Set.of("chrony.service", "getty@tty1.service"));

      sender.sendMessage(changed("cups_2eservice", "ActiveState"));
      sender.sendMessage(changed("chrony_2eservice", "Description"));
      sender.sendMessage(changed("getty_40tty1_2eservice", "ActiveState"));
      sender.sendMessage(changed("chrony_2eservice", "SubState"));

      // dbus-java may hand signals to its handler threads out of order
      assertThat(List.of(events.take(), events.take()))
          .containsExactlyInAnyOrder("unit:getty@tty1.service", "unit:chrony.service");
      assertThat(events).isEmpty();
    }
  }

  @Test
  void refusesABusWithoutSystemd() {
    assertThatThrownBy(() -> DbusSystemd.connect(bus.address()))
        .isInstanceOf(SystemdUnavailableException.class)
        .hasMessageStartingWith("connect to systemd over D-Bus at " + bus.address() + ": ")
        .hasMessageEndingWith("; is systemd running?");
  }

  private static Properties.PropertiesChanged changed(String escapedUnit, String property) throws Exception {
    return new Properties.PropertiesChanged("/org/freedesktop/systemd1/unit/" + escapedUnit,
        "org.freedesktop.systemd1.Unit", Map.of(property, new Variant<>("inactive")), List.of());
  }
}
