package dev.flotilla.agent.host.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@link Sysctl} against the real kernel, inside a fresh network namespace: a child JVM started under
 * {@code unshare --net} writes {@code net.*} keys (per-namespace, so the host's values must not move) through the
 * real {@code /proc}. Needs root and util-linux's {@code unshare}. Never writes a non-{@code net.*} key.
 */
class SysctlNamespaceIT {
  private static final Path HOST_IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
  private static final Path HOST_SYNCOOKIES = Path.of("/proc/sys/net/ipv4/tcp_syncookies");

  @TempDir
  Path hostRoot;

  @Test
  void setsNetworkKeysInsideTheNamespaceOnly() throws Exception {
    var ipForwardBefore = Files.readString(HOST_IP_FORWARD);
    var syncookiesBefore = Files.readString(HOST_SYNCOOKIES);

    var result = runProbe();

    assertThat(result.output()).isEqualTo("""
        net.ipv4.ip_forward=1
        net.ipv4.tcp_syncookies=0
        """);
    assertThat(result.exitCode()).isZero();
    assertThat(hostRoot.resolve("etc/sysctl.d/90-flotilla.conf")).hasContent("""
        # managed by flotilla-agent; changes are overwritten
        net.ipv4.ip_forward = 1
        net.ipv4.tcp_syncookies = 0""");
    assertThat(Files.readString(HOST_IP_FORWARD)).isEqualTo(ipForwardBefore);
    assertThat(Files.readString(HOST_SYNCOOKIES)).isEqualTo(syncookiesBefore);
  }

  private record Result(int exitCode, String output) {
  }

  private Result runProbe() throws IOException, InterruptedException {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command = List.of("unshare", "--net", "--", java, "-cp", System.getProperty("java.class.path"),
        Probe.class.getName(), hostRoot.toString());
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  /** Runs in the namespace: sets two {@code net.*} keys through the real procfs and prints what it reads back. */
  public static final class Probe {
    public static void main(String[] args) throws IOException {
      var sysctl = new Sysctl(Path.of("/proc"), Path.of(args[0]));
      var desired = Map.of("net.ipv4.ip_forward", "1", "net.ipv4.tcp_syncookies", "0");
      for (var key : List.of("net.ipv4.ip_forward", "net.ipv4.tcp_syncookies")) {
        sysctl.write(key, desired.get(key));
      }
      sysctl.persist(desired);
      for (var key : List.of("net.ipv4.ip_forward", "net.ipv4.tcp_syncookies")) {
        System.out.println(key + "=" + sysctl.read(key).orElse("(missing)"));
      }
    }
  }
}
