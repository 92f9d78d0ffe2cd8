package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.plan.Inventory;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.BundlePayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla-agent apply}, {@code plan} and {@code status} on a sandbox device, as an operator sees them. */
class AgentCommandsTest {
  static final String MACHINE_ID = "0123456789abcdef0123456789abcdef";
  @TempDir
  Path dir;
  TestDevice device;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    device = new TestDevice(dir);
    Files.writeString(device.host.resolve("etc/machine-id"), MACHINE_ID + "\n");
    var settings = device.config();
    config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
        "server: " + settings.getServer(), "device: " + settings.getDevice(), "stateDir: " + settings.getStateDir(),
        "hostRoot: " + settings.getHostRoot(), "procRoot: " + settings.getProcRoot(),
        "privateKey: " + settings.getPrivateKey(), "trustRoot: " + settings.getTrustRoot(), ""));
  }

  @Test
  void applyRefusesAFileOverTheBundleCapInOneLineWithoutReadingIt() throws Exception {
    var bundle = dir.resolve("huge.json");
    try (var sparse = new java.io.RandomAccessFile(bundle.toFile(), "rw")) {
      sparse.setLength(17L << 20); // no data behind it: reading it would show as time and memory, refusing does not
    }

    var run = FlotillaAgentTest.agent("apply", "--bundle", bundle.toString(), "-c", config.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("flotilla-agent: read bundle '" + bundle + "': it is 17825792 bytes, over the cap"
        + " of 16 MiB (16777216 bytes)\n");
    assertThat(device.stateDir.resolve("agent.db")).as("the agent's state was not even opened").doesNotExist();
  }

  @Test
  void statusPrintsOneReadableLinePerApply() throws Exception {
    var write = new WriteFile("/etc/motd", "hi\n".getBytes(), null, "0644", null, null, WriteFile.Action.CREATE,
        "not present");
    try (var state = AgentState.open(device.stateDir)) {
      state.recordApply(7, Inventory.EMPTY, new ApplyResult(List.of(ChangeResult.of(write, Outcome.CREATED))),
          Instant.parse("2026-12-02T05:10:10Z"));
      state.recordApply(8, Inventory.EMPTY, new ApplyResult(List.of(ChangeResult.failed(write,
          "write file '/etc/motd': permission denied; run the agent as root"))), Instant.parse("2026-12-02T05:10:11Z"));
    }

    var run = FlotillaAgentTest.agent("status", "-c", config.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).endsWith("""
          2026-12-02T05:10:11Z  version 8  failed (1 change): write file '/etc/motd': permission denied; run the agent as root
          2026-12-02T05:10:10Z  version 7  ok (1 change)
        """);
  }

  @Test
  void statusPrintsTheSameFactsAsJsonAndYaml() throws Exception {
    var write = new WriteFile("/etc/motd", "hi\n".getBytes(), null, "0644", null, null, WriteFile.Action.CREATE,
        "not present");
    try (var state = AgentState.open(device.stateDir)) {
      state.recordApply(7, Inventory.EMPTY, new ApplyResult(List.of(ChangeResult.of(write, Outcome.CREATED))),
          Instant.parse("2026-12-02T05:10:10Z"));
    }

    var json = FlotillaAgentTest.agent("status", "-c", config.toString(), "-o", "json");
    var yaml = FlotillaAgentTest.agent("status", "-c", config.toString(), "--output", "yaml");
    var xml = FlotillaAgentTest.agent("status", "-c", config.toString(), "-o", "xml");

    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.err()).isEmpty();
    assertThat(json.out()).startsWith("{\n  \"acceptedVersion\" : 0,\n").contains(
        "\"recentApplies\" : [ \"2026-12-02T05:10:10Z  version 7  ok (1 change)\" ]").endsWith("}\n");
    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.out()).startsWith("acceptedVersion: 0\n").contains("- \"2026-12-02T05:10:10Z  version 7  ok (1 change)\"");
    assertThat(xml).isEqualTo(new FlotillaAgentTest.Run(2, "",
        "flotilla-agent: unknown --output 'xml'; use text, json or yaml\n"));
  }

  @Test
  void aRefusedOpsBundleNamesItsVersionNotVersionZero() throws Exception {
    var other = payload(5, Map.of("/etc/motd", "hi\n"));
    other.setDevice("kiosk-2");
    var bundle = Files.write(dir.resolve("other.json"), device.signed(other));

    var run = FlotillaAgentTest.agent("apply", "-c", config.toString(), "--bundle", bundle.toString());

    assertThat(run).isEqualTo(new FlotillaAgentTest.Run(1, "", "flotilla-agent: RefusedWrongDevice: refuse ops bundle"
        + " version 5: verify bundle: made for device 'kiosk-2', this is 'kiosk-1'\n"));
  }

  @Test
  void anOpsBundleOfUnknownVersionIsRefusedWithoutAVersion() throws Exception {
    var bundle = Files.writeString(dir.resolve("torn.json"), "{\"mediaType\": ");

    var run = FlotillaAgentTest.agent("apply", "-c", config.toString(), "--bundle", bundle.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("flotilla-agent: RefusedMalformed: refuse ops bundle: verify bundle: not JSON");
  }

  @Test
  void anOpsBundleRefusedAtPlanSaysWhichVersionItKeeps() throws Exception {
    var good = Files.write(dir.resolve("v2.json"), device.signed(payload(2, Map.of("/etc/motd", "two\n"))));
    var evil = Files.write(dir.resolve("v3.json"), device.signed(payload(3, Map.of("/usr/local/bin/evil", "x\n"))));
    assertThat(FlotillaAgentTest.agent("apply", "-c", config.toString(), "--bundle", good.toString()).exitCode())
        .isZero();

    var run = FlotillaAgentTest.agent("apply", "-c", config.toString(), "--bundle", evil.toString());

    assertThat(run).isEqualTo(new FlotillaAgentTest.Run(1, "",
        "flotilla-agent: " + PassOutcome.REFUSED_PLAN.reason() + ": refuse bundle version 3:"
        + " write file '/usr/local/bin/evil': outside the allowed paths (/etc); add its directory to allowedPaths in"
        + " the agent config; keeping version 2\n"));
    assertThat(FlotillaAgentTest.agent("status", "-c", config.toString()).out()).startsWith("bundle version: 2\n");
  }

  @Test
  void planAndStatusFailWhenNoStoredBundleCanBeUsed() throws Exception {
    var good = Files.write(dir.resolve("v1.json"), device.signed(payload(1, Map.of("/etc/motd", "one\n"))));
    assertThat(FlotillaAgentTest.agent("apply", "-c", config.toString(), "--bundle", good.toString()).exitCode())
        .isZero();
    var current = device.stateDir.resolve("bundles/current.json");
    Files.writeString(current, "{\"mediaType\": ");

    var plan = FlotillaAgentTest.agent("plan", "-c", config.toString());
    var status = FlotillaAgentTest.agent("status", "-c", config.toString());

    assertThat(plan.exitCode()).isEqualTo(1);
    assertThat(plan.out()).isEmpty();
    assertThat(plan.err()).startsWith("flotilla-agent: plan stored bundle: '" + current + "': verify bundle: not JSON")
        .endsWith("previous.json': missing; nothing is enforced until a new bundle arrives\n");
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.out()).startsWith("bundle version: 1\nenforced bundle: none, no stored bundle can be used\n");
    assertThat(status.err()).startsWith("flotilla-agent: refuse stored bundle: '" + current + "'");
  }

  @Test
  void statusSaysThePreviousBundleIsEnforcedWhenTheCurrentOneIsTorn() throws Exception {
    for (var version = 1; version <= 2; version++) {
      var bundle = Files.write(dir.resolve("v" + version + ".json"),
          device.signed(payload(version, Map.of("/etc/motd", version + "\n"))));
      assertThat(FlotillaAgentTest.agent("apply", "-c", config.toString(), "--bundle", bundle.toString()).exitCode())
          .isZero();
    }
    var current = device.stateDir.resolve("bundles/current.json");
    Files.writeString(current, "{\"mediaType\": ");

    var status = FlotillaAgentTest.agent("status", "-c", config.toString());

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("bundle version: 2\nenforced bundle: version 1\n");
    assertThat(status.err()).startsWith("flotilla-agent: refuse stored bundle '" + current + "': verify bundle: not")
        .endsWith("; enforcing version 1 from '" + device.stateDir.resolve("bundles/previous.json")
            + "' until a new bundle arrives\n");
  }

  /** A payload for this machine's real identity, as {@code flotilla-agent} reads it from the host root. */
  static BundlePayload payload(long version, Map<String, String> files) {
    var payload = TestDevice.payload(version, files, Map.of());
    payload.setIdentityHash(IdentityReader.hash(MACHINE_ID));
    return payload;
  }
}
