package dev.flotilla.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.preview.FleetPlan.PlannedChange;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.render.RolloutVersions;
import dev.flotilla.rollout.RolloutState;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FleetPlanTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String BASE = """
      files: [{path: /etc/motd, content: "hello\\n"}, {path: /etc/old.conf, content: x}]
      sysctl: {vm.swappiness: "60", net.ipv4.ip_forward: "0"}
      services: [{unit: chrony.service, enabled: true}]
      apps: [{name: pos, artifact: pos, version: 1.2.0}]
      """;

  @Test
  void printsTheLinesTheAgentPlansForTheHeadOnAHostThatAppliedTheBase() throws IOException {
    var head = """
        files: [{path: /etc/motd, content: "hello\\n", mode: "0600"}, {path: /etc/new.conf, content: y}]
        sysctl: {vm.swappiness: "10", net.ipv4.ip_forward: "0", kernel.x: "1"}
        services: [{unit: chrony.service, enabled: true, state: stopped}]
        apps: [{name: pos, artifact: pos, version: 1.3.0}]
        """;

    var plan = FleetPlan.of(render(Map.of("pos-1", BASE)), render(Map.of("pos-1", head)));

    assertThat(plan.devices()).singleElement().satisfies(d -> assertThat(d.changes()).extracting(PlannedChange::text)
        .containsExactly(
            "~ file /etc/motd (mode 0644 -> 0600)",
            "+ file /etc/new.conf",
            "- unit chrony.service (stop)",
            "~ sysctl kernel.x (unknown) -> 1",
            "~ sysctl vm.swappiness 60 -> 10",
            "~ file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot: content)",
            "+ app pos 1.3.0 (install)",
            "~ app pos 1.2.0 -> 1.3.0 (switch)",
            "- file /etc/old.conf (no longer declared)"));
    assertThat(plan.devices().getFirst().changes()).filteredOn(c -> c.kind().equals("sysctl"))
        .extracting(PlannedChange::key, PlannedChange::from, PlannedChange::to)
        .containsExactly(tuple("kernel.x", null, "1"),
            tuple("vm.swappiness", "60", "10"));
    assertThat(plan.total()).isEqualTo(1);
  }

  @Test
  void anUnchangedDeviceHasNoChanges() throws IOException {
    assertThat(FleetPlan.of(render(Map.of("pos-1", BASE)), render(Map.of("pos-1", BASE))).devices()).isEmpty();
  }

  @Test
  void aNewDeviceIsPlannedAgainstAnEmptyHostAndAGoneOneGetsNoBundle() throws IOException {
    var head = render(Map.of("new-1", "files: [{path: /etc/f, content: c}]"));

    var plan = FleetPlan.of(render(Map.of("old-1", BASE)), head);

    assertThat(plan.devices()).extracting(FleetPlan.DevicePlan::device).containsExactly("new-1", "old-1");
    assertThat(plan.devices().get(0).changes()).extracting(PlannedChange::text)
        .containsExactly("+ device (new bundle)", "+ file /etc/f");
    assertThat(plan.devices().get(1).changes()).extracting(PlannedChange::text)
        .containsExactly("- device (no bundle any more)");
  }

  @Test
  void namesTheRolloutAndWaveThatGiveADeviceANewAppVersion() throws IOException {
    var head = BASE.replace("version: 1.2.0", "version: 1.3.0");
    var wave = new RolloutState.WaveState("canary", Instant.EPOCH, null, false,
        List.of(new RolloutState.Member("pos-1", Instant.EPOCH)));
    var state = new RolloutState("pos-1.3", "acme", "pos", "1.3.0", RolloutPhase.PROGRESSING, 0, null, false,
        Instant.EPOCH, List.of(wave), List.of());
    var devices = Map.of("pos-1", head, "pos-2", BASE);

    var plan = FleetPlan.of(render(Map.of("pos-1", BASE, "pos-2", BASE)),
        render(devices, RolloutState.versions(List.of(state))));

    assertThat(plan.devices()).singleElement().satisfies(d -> assertThat(d.changes()).extracting(PlannedChange::text)
        .containsExactly("+ app pos 1.3.0 (install) [rollout pos-1.3, wave canary]",
            "~ app pos 1.2.0 -> 1.3.0 (switch) [rollout pos-1.3, wave canary]"));
  }

  private static FleetRender render(Map<String, String> states) throws IOException {
    return render(states, RolloutVersions.NONE);
  }

  private static FleetRender render(Map<String, String> states, RolloutVersions versions) throws IOException {
    var devices = new TreeMap<String, RenderedDevice>();
    for (var entry : states.entrySet()) {
      var payload = new BundlePayload();
      payload.setDevice(entry.getKey());
      payload.setTenant("acme");
      payload.setState(YAML.readValue(entry.getValue(), DesiredState.class));
      devices.put(entry.getKey(), new RenderedDevice(payload, "sha256:unused", null));
    }
    return new FleetRender(devices, List.of(), versions);
  }
}
