package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.systemd.SystemdConnection;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.status.PassOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent of files and sysctl in a JVM of its own, with a D-Bus address where no bus is: it applies its bundle and
 * never loads a dbus-java class ({@code -verbose:class}).
 */
class FilesOnlyAgentIT {
  private static final String MACHINE_ID = "0123456789abcdef0123456789abcdef";

  @Test
  void appliesWithoutLoadingDbusJava(@TempDir Path dir) throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var process = new ProcessBuilder(java, "-verbose:class", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), FilesOnlyAgentIT.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).contains("pass: " + PassOutcome.APPLIED)
        .as("the class list is there, with the unconnected systemd").contains(SystemdConnection.class.getName());
    assertThat(output.lines().filter(l -> l.contains("org.freedesktop"))).as("dbus-java classes loaded").isEmpty();
  }

  /** Builds the agent as {@code flotilla-agent} does and applies a bundle of a file and a sysctl key. */
  public static void main(String[] args) throws Exception {
    var device = new TestDevice(Path.of(args[0]));
    Files.writeString(device.host.resolve("etc/machine-id"), MACHINE_ID + "\n");
    device.procKey("vm.swappiness", "60");
    var config = device.config();
    config.setDbusAddress("unix:path=" + Path.of(args[0]).resolve("no-bus"));
    var payload = TestDevice.payload(1, Map.of("/etc/motd", "hello\n"), Map.of("vm.swappiness", "10"));
    payload.setIdentityHash(IdentityReader.hash(MACHINE_ID));
    try (var agent = AgentWiring.agent(config, Clock.systemUTC())) {
      System.out.println("pass: " + agent.applyFile(device.signed(payload)).outcome());
    }
  }
}
