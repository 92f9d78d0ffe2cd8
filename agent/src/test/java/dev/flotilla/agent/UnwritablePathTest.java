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
 * A signed bundle with a file the host cannot take (a regular file where its directory must be) is refused whole:
 * the pass fails naming the path at fault, no file of the bundle is written and the last good version stays.
 */
class UnwritablePathTest {
  @TempDir
  Path dir;
  TestDevice device;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
  }

  @Test
  void aFileUnderARegularFileRefusesTheWholeBundle() throws Exception {
    byte[] second;
    try (var agent = device.agent()) {
      assertThat(agent.applyFile(device.signed(TestDevice.payload(1, Map.of("/etc/motd", "one\n"), Map.of())))
          .outcome()).isEqualTo(PassOutcome.APPLIED);
      Files.writeString(device.host.resolve("etc/ssh"), "a file, not a directory\n");

      second = device.signed(TestDevice.payload(2, Map.of("/etc/aaa-first.conf", "a\n",
          "/etc/flotilla-demo.conf", "demo\n", "/etc/kiosk-ui/kiosk.conf", "url=a\n", "/etc/motd", "two\n",
          "/etc/ssh/sshd_config.d/50-acme.conf", "PermitRootLogin no\n"), Map.of()));
      var pass = agent.applyFile(second);

      // refused before it became current: the agent stays on version 1
      assertThat(pass.outcome()).isEqualTo(PassOutcome.REFUSED_PLAN);
      assertThat(pass.message()).isEqualTo("refuse bundle version 2: write files: '/etc/ssh' is a regular file, so "
          + "'/etc/ssh/sshd_config.d/50-acme.conf' cannot be created; nothing was written; remove or rename "
          + "'/etc/ssh' on the device, or change the path in the fleet; keeping version 1");
      assertThat(agent.state().lastAcceptedVersion()).isEqualTo(1);
      assertThat(device.host.resolve("etc/aaa-first.conf")).doesNotExist();
      assertThat(device.host.resolve("etc/flotilla-demo.conf")).doesNotExist();
      assertThat(device.host.resolve("etc/kiosk-ui")).doesNotExist();
      assertThat(device.host.resolve("etc/motd")).hasContent("one");
    }

    Files.delete(device.host.resolve("etc/ssh"));
    try (var restarted = device.agent()) {
      assertThat(restarted.applyFile(second).outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(device.host.resolve("etc/ssh/sshd_config.d/50-acme.conf")).hasContent("PermitRootLogin no");
      assertThat(device.host.resolve("etc/motd")).hasContent("two");
    }
  }
}
