package dev.flotilla.agent.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.digest.Digest;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.ObservedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTest {
  @TempDir
  Path root;
  @TempDir
  Path proc;

  @Test
  void observesEveryDeclaredAndOwnedPathAndKey() throws IOException {
    Files.createDirectories(proc.resolve("sys/net/ipv4"));
    Files.writeString(proc.resolve("sys/net/ipv4/ip_forward"), "0\n");
    Files.writeString(proc.resolve("sys/net/ipv4/tcp_syncookies"), "1\n");
    var files = new HostFiles(root, List.of("/etc"));
    files.write("/etc/motd", "hi\n".getBytes(UTF_8), "0644", "nobody", null);
    files.write("/etc/old.conf", "old\n".getBytes(UTF_8), "0600", null, null);
    var desired = ApplierTest.desired(Map.of("/etc/motd", "hi\n", "/etc/new.conf", "new\n"),
        Map.of("net.ipv4.ip_forward", "1", "net.ipv4.nope", "1"));
    desired.getFiles().get(0).setOwner("65534");

    var observed = new Host(files, new Sysctl(proc, root))
        .observe(desired, new Inventory(Set.of("/etc/old.conf"), Set.of("net.ipv4.tcp_syncookies")));

    assertThat(observed.files()).containsOnlyKeys("/etc/motd", "/etc/new.conf", "/etc/old.conf",
        "/etc/sysctl.d/90-flotilla.conf");
    assertThat(observed.file("/etc/motd")).isEqualTo(new ObservedFile("/etc/motd", true,
        Digest.sha256("hi\n".getBytes(UTF_8)).toString(), "0644", "65534", "root", false));
    assertThat(observed.file("/etc/new.conf").exists()).isFalse();
    assertThat(observed.file("/etc/old.conf").mode()).isEqualTo("0600");
    assertThat(observed.file("/etc/sysctl.d/90-flotilla.conf").exists()).isFalse();
    assertThat(observed.sysctl()).containsExactly(Map.entry("net.ipv4.ip_forward", "0"),
        Map.entry("net.ipv4.tcp_syncookies", "1"));
  }
}
