package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Document;
import dev.flotilla.model.DriftSettings;
import dev.flotilla.model.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundle's driftTiming: the shortest poll interval and debounce of the policies that select the device. */
class DriftTimingTest {
  static Document<Policy> policy(String name, String poll, String debounce) {
    var policy = PolicyMergerTest.policy(name, 0, null);
    var drift = new DriftSettings();
    drift.setSysctlPollInterval(poll);
    drift.setDebounce(debounce);
    policy.resource().getSpec().setDrift(drift);
    return policy;
  }

  @Test
  void takesTheShortestOfEachAcrossPolicies() {
    var timing = DeviceRenderer.driftTiming(List.of(policy("a", "5m", null), policy("b", "30s", "2s"),
        policy("c", null, "200ms")));

    assertThat(timing.getSysctlPollInterval()).isEqualTo("30s");
    assertThat(timing.getDebounce()).isEqualTo("200ms");
  }

  @Test
  void isLeftOutWhenNoPolicySetsIt() {
    assertThat(DeviceRenderer.driftTiming(List.of(PolicyMergerTest.policy("a", 0, null)))).isNull();
    assertThat(DeviceRenderer.driftTiming(List.of(policy("b", null, null)))).isNull();
  }
}
