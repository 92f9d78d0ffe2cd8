package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.Channel;
import dev.flotilla.model.Device;
import dev.flotilla.model.DeviceSpec;
import dev.flotilla.model.Metadata;
import dev.flotilla.model.Selector;
import dev.flotilla.model.SelectorOperator;
import dev.flotilla.model.SelectorRequirement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  static Device device(String name, Channel channel, Map<String, String> labels) {
    var device = new Device();
    device.setMetadata(new Metadata());
    device.getMetadata().setName(name);
    device.getMetadata().setLabels(labels);
    device.setSpec(new DeviceSpec());
    device.getSpec().setChannel(channel);
    return device;
  }

  static SelectorRequirement requirement(String key, SelectorOperator operator, String... values) {
    var requirement = new SelectorRequirement();
    requirement.setKey(key);
    requirement.setOperator(operator);
    requirement.setValues(new LinkedHashSet<>(List.of(values)));
    return requirement;
  }

  final Device berlinKiosk = device("k1", Channel.CANARY, Map.of("store", "berlin-01", "role", "kiosk"));
  final Device unlabelled = device("k2", Channel.PROD, null);

  @Test
  void emptySelectorMatchesEveryDevice() {
    assertThat(Selectors.matches(new Selector(), berlinKiosk)).isTrue();
    assertThat(Selectors.matches(null, unlabelled)).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryLabel() {
    var selector = new Selector();
    selector.setMatchLabels(Map.of("store", "berlin-01", "role", "kiosk"));
    assertThat(Selectors.matches(selector, berlinKiosk)).isTrue();
    selector.setMatchLabels(Map.of("store", "berlin-01", "role", "pos"));
    assertThat(Selectors.matches(selector, berlinKiosk)).isFalse();
    assertThat(Selectors.matches(selector, unlabelled)).isFalse();
  }

  @Test
  void matchExpressionsFollowKubernetes() {
    var selector = new Selector();
    selector.setMatchExpressions(List.of(requirement("store", SelectorOperator.IN, "berlin-01", "hamburg-01")));
    assertThat(Selectors.matches(selector, berlinKiosk)).isTrue();
    selector.setMatchExpressions(List.of(requirement("store", SelectorOperator.NOT_IN, "berlin-01")));
    assertThat(Selectors.matches(selector, berlinKiosk)).isFalse();
    assertThat(Selectors.matches(selector, unlabelled)).isTrue();
    selector.setMatchExpressions(List.of(requirement("role", SelectorOperator.EXISTS)));
    assertThat(Selectors.matches(selector, berlinKiosk)).isTrue();
    assertThat(Selectors.matches(selector, unlabelled)).isFalse();
    selector.setMatchExpressions(List.of(requirement("role", SelectorOperator.DOES_NOT_EXIST)));
    assertThat(Selectors.matches(selector, unlabelled)).isTrue();
  }

  @Test
  void channelsAndNamesNarrowTheMatch() {
    var selector = new Selector();
    selector.setChannels(new LinkedHashSet<>(List.of(Channel.PROD)));
    assertThat(Selectors.matches(selector, berlinKiosk)).isFalse();
    assertThat(Selectors.matches(selector, unlabelled)).isTrue();
    selector.setChannels(new LinkedHashSet<>());
    selector.setDevices(new LinkedHashSet<>(List.of("k2")));
    assertThat(Selectors.matches(selector, berlinKiosk)).isFalse();
    assertThat(Selectors.matches(selector, unlabelled)).isTrue();
  }
}
