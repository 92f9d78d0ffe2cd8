package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.agent.plan.Inventory;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.agent.plan.WriteFile;
import dev.flotilla.agent.state.AgentState;
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

  /** A payload for this machine's real identity, as {@code flotilla-agent} reads it from the host root. */
  static BundlePayload payload(long version, Map<String, String> files) {
    var payload = TestDevice.payload(version, files, Map.of());
    payload.setIdentityHash(IdentityReader.hash(MACHINE_ID));
    return payload;
  }
}
