package dev.flotilla.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.ArtifactRef;
import dev.flotilla.model.Channel;
import dev.flotilla.model.Device;
import dev.flotilla.model.DeviceIdentity;
import dev.flotilla.model.DeviceSpec;
import dev.flotilla.model.Metadata;
import dev.flotilla.model.Rollout;
import dev.flotilla.model.RolloutSpec;
import dev.flotilla.model.Selector;
import dev.flotilla.model.Wave;
import dev.flotilla.rollout.RolloutPlan.PlannedWave;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Wave membership is deterministic, channel-ordered, sized as the spec says, and stable once a wave started. */
class WavePlannerTest {

  static Device device(String name, Channel channel, boolean claimed, boolean cordoned, String role) {
    var d = new Device();
    var meta = new Metadata();
    meta.setName(name);
    meta.setTenant("acme");
    meta.setLabels(Map.of("role", role));
    d.setMetadata(meta);
    var spec = new DeviceSpec();
    spec.setChannel(channel);
    spec.setCordoned(cordoned);
    if (claimed) {
      var id = new DeviceIdentity();
      id.setHash("sha256:" + "0".repeat(64));
      spec.setIdentity(id);
    }
    d.setSpec(spec);
    return d;
  }

  static Wave wave(String name, Long count, Long percent) {
    var w = new Wave();
    w.setName(name);
    w.setCount(count);
    w.setPercent(percent);
    return w;
  }

  static Rollout rollout(List<Wave> waves) {
    var r = new Rollout();
    var meta = new Metadata();
    meta.setName("ui-1-5");
    meta.setTenant("acme");
    r.setMetadata(meta);
    var spec = new RolloutSpec();
    var artifact = new ArtifactRef();
    artifact.setName("kiosk-ui");
    artifact.setVersion("1.5.0");
    spec.setArtifact(artifact);
    var selector = new Selector();
    selector.setMatchLabels(Map.of("role", "kiosk"));
    spec.setSelector(selector);
    spec.setWaves(waves);
    r.setSpec(spec);
    return r;
  }

  static final Rollout ONE_THREE_REST = rollout(List.of(wave("canary", 1L, null), wave("early", 3L, null),
      wave("rest", null, null)));

  static List<Device> fleet(int n) {
    var out = new ArrayList<Device>();
    IntStream.range(0, n).forEach(i -> out.add(device("kiosk-" + i, i % 5 == 0 ? Channel.CANARY : Channel.PROD,
        true, false, "kiosk")));
    return out;
  }

  static List<List<String>> members(RolloutPlan plan) {
    return plan.waves().stream().map(PlannedWave::devices).toList();
  }

  @Test
  void theSameDevicesInAnyOrderGiveTheSameWaves() {
    var devices = fleet(10);
    var first = WavePlanner.plan(ONE_THREE_REST, devices, d -> true, null);
    var shuffled = new ArrayList<>(devices);
    Collections.shuffle(shuffled, new Random(7));
    assertThat(members(WavePlanner.plan(ONE_THREE_REST, shuffled, d -> true, null))).isEqualTo(members(first));
    assertThat(members(first)).extracting(List::size).containsExactly(1, 3, 6);
  }

  @Test
  void devChannelThenCanaryThenProd() {
    var devices = new ArrayList<>(fleet(10));
    devices.add(device("kiosk-dev", Channel.DEV, true, false, "kiosk"));
    var plan = WavePlanner.plan(ONE_THREE_REST, devices, d -> true, null);
    assertThat(plan.waves().getFirst().devices()).containsExactly("kiosk-dev");
    assertThat(plan.waves().get(1).devices()).containsExactlyInAnyOrder("kiosk-0", "kiosk-5", plan.waves().get(1)
        .devices().get(2));
    assertThat(plan.waves().get(1).devices().subList(0, 2)).containsExactlyInAnyOrder("kiosk-0", "kiosk-5");
  }

  @Test
  void skipsCordonedUnclaimedUnselectedAndDevicesWithoutTheApp() {
    var devices = List.of(device("a", Channel.PROD, true, false, "kiosk"), device("b", Channel.PROD, true, true, "kiosk"),
        device("c", Channel.PROD, false, false, "kiosk"), device("d", Channel.PROD, true, false, "pos"),
        device("e", Channel.PROD, true, false, "kiosk"));
    var plan = WavePlanner.plan(ONE_THREE_REST, devices, d -> !d.getMetadata().getName().equals("e"), null);
    assertThat(members(plan)).isEqualTo(List.of(List.of("a"), List.of(), List.of()));
  }

  @Test
  void percentsAreOfAllEligibleDevicesRoundedUp() {
    var plan = WavePlanner.plan(rollout(List.of(wave("a", null, 10L), wave("b", null, 25L), wave("c", null, null))),
        fleet(11), d -> true, null);
    assertThat(members(plan)).extracting(List::size).containsExactly(2, 3, 6);
  }

  @Test
  void aStartedWaveKeepsItsDevicesWhenTheFleetChanges() {
    var before = WavePlanner.plan(ONE_THREE_REST, fleet(10), d -> true, null);
    var started = RolloutEngine.step(before, null, RolloutEngine.Observed.NOTHING, Instant.EPOCH);
    var grown = new ArrayList<>(fleet(10));
    grown.add(device("kiosk-dev", Channel.DEV, true, false, "kiosk"));
    var after = WavePlanner.plan(ONE_THREE_REST, grown, d -> true, started);
    assertThat(after.waves().getFirst().devices()).isEqualTo(before.waves().getFirst().devices());
    assertThat(after.waves().get(1).devices()).contains("kiosk-dev");
    assertThat(members(after).stream().mapToInt(List::size).sum()).isEqualTo(11);
  }
}
