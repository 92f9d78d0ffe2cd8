package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a signed bundle on a sandbox host: the agent's sysctl.d file is written although the live values already
 * match, and once deleted while the agent runs, {@code plan} shows it and the next pass restores it.
 */
class SysctlFileAgentTest {
  @TempDir
  Path dir;
  TestDevice device;
  Path file;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    device.procKey("net.ipv4.ip_forward", "1");
    file = device.host.resolve("etc/sysctl.d/90-flotilla.conf");
  }

  @Test
  void writesAndRestoresTheSysctlFileWhenTheLiveValuesMatch() throws Exception {
    try (var agent = device.agent()) {
      var first = agent.applyFile(device.signed(TestDevice.payload(1, Map.of(), Map.of("net.ipv4.ip_forward", "1"))));
      assertThat(first.outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(file).hasContent("# managed by flotilla-agent; changes are overwritten\nnet.ipv4.ip_forward = 1");
      assertThat(agent.plan().isEmpty()).isTrue();

      Files.delete(file);

      assertThat(agent.plan().lines())
          .containsExactly("+ file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot)");
      var pass = agent.correct().orElseThrow();
      assertThat(pass.outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(pass.message()).isEqualTo("1 change(s): + file /etc/sysctl.d/90-flotilla.conf (sysctl values for boot)");
      assertThat(file).hasContent("# managed by flotilla-agent; changes are overwritten\nnet.ipv4.ip_forward = 1");
      assertThat(device.logLines()).anySatisfy(line -> assertThat(line)
          .startsWith("drift file:/etc/sysctl.d/90-flotilla.conf (enforce): expected sha256 ").endsWith("; actual missing"));
    }
  }
}
