package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Document;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.JournaldWatcher;
import dev.flotilla.model.Policy;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.WatcherSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundle's watchers: the journald watcher merged from the policies that select the device. */
class WatchersTest {
  static Document<Policy> policy(String name, List<String> units, Long lines, String... services) {
    var state = new DesiredState();
    state.setServices(java.util.Arrays.stream(services).map(unit -> {
      var service = new ServiceSpec();
      service.setUnit(unit);
      return service;
    }).toList());
    var policy = PolicyMergerTest.policy(name, 0, state);
    var journald = new JournaldWatcher();
    journald.setUnits(units);
    if (lines != null) {
      journald.setLines(lines);
    }
    var watchers = new WatcherSettings();
    watchers.setJournald(journald);
    policy.resource().getSpec().setWatchers(watchers);
    return policy;
  }

  @Test
  void unitesTheUnitsAndTakesTheMostLines() {
    var watchers = DeviceRenderer.watchers(List.of(policy("a", List.of("kiosk.service"), 50L),
        policy("b", null, null, "chrony.service", "ssh.service"), PolicyMergerTest.policy("c", 0, null)));

    assertThat(watchers.getJournald().getUnits()).containsExactly("chrony.service", "kiosk.service", "ssh.service");
    assertThat(watchers.getJournald().getLines()).isEqualTo(50L);
  }

  @Test
  void aPolicyWithoutUnitsWatchesItsOwnServicesWithTheDefaultLines() {
    var watchers = DeviceRenderer.watchers(List.of(policy("b", List.of(), null, "chrony.service")));

    assertThat(watchers.getJournald().getUnits()).containsExactly("chrony.service");
    assertThat(watchers.getJournald().getLines()).isEqualTo(20L);
  }

  @Test
  void isLeftOutWhenNoPolicySetsIt() {
    assertThat(DeviceRenderer.watchers(List.of(PolicyMergerTest.policy("a", 0, null)))).isNull();
  }
}
