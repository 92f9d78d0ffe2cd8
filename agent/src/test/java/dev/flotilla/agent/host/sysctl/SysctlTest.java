package dev.flotilla.agent.host.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a fake procfs: a directory with {@code sys/net/ipv4/...} files, as procfs lays them out. */
class SysctlTest {
  @TempDir
  Path proc;
  @TempDir
  Path host;
  Sysctl sysctl;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(proc.resolve("sys/net/ipv4"));
    Files.writeString(proc.resolve("sys/net/ipv4/ip_forward"), "0\n");
    Files.writeString(proc.resolve("sys/net/ipv4/tcp_rmem"), "4096\t131072\t6291456\n");
    sysctl = new Sysctl(proc, host);
  }

  @Test
  void readsValueWithoutTheNewline() throws IOException {
    assertThat(sysctl.read("net.ipv4.ip_forward")).contains("0");
    assertThat(sysctl.read("net.ipv4.tcp_rmem")).contains("4096\t131072\t6291456");
  }

  @Test
  void readsUnknownKeyAsEmpty() throws IOException {
    assertThat(sysctl.read("net.ipv4.nope")).isEqualTo(Optional.empty());
  }

  @Test
  void writesValueAndNewline() throws IOException {
    sysctl.write("net.ipv4.ip_forward", "1");

    assertThat(proc.resolve("sys/net/ipv4/ip_forward")).hasContent("1\n");
    assertThat(sysctl.read("net.ipv4.ip_forward")).contains("1");
  }

  @Test
  void refusesUnknownKey() {
    assertThatThrownBy(() -> sysctl.write("net.ipv4.nope", "1"))
        .hasMessage("set sysctl 'net.ipv4.nope': no such key under " + proc.resolve("sys"));
    assertThat(proc.resolve("sys/net/ipv4/nope")).doesNotExist();
  }

  @Test
  void refusesKeyThatIsNotDotted() {
    assertThatThrownBy(() -> sysctl.write("net/ipv4/../../../etc/passwd", "1"))
        .hasMessage("set sysctl 'net/ipv4/../../../etc/passwd': not a sysctl key; "
            + "write it dotted, such as 'net.ipv4.ip_forward'");
    assertThatThrownBy(() -> sysctl.read("net..ipv4"))
        .hasMessageStartingWith("read sysctl 'net..ipv4': not a sysctl key");
  }

  @Test
  void refusesValueOfMoreThanOneLine() {
    assertThatThrownBy(() -> sysctl.write("net.ipv4.ip_forward", "1\nnet.ipv4.x = 2"))
        .hasMessage("set sysctl 'net.ipv4.ip_forward': the value must be one line");
    assertThat(proc.resolve("sys/net/ipv4/ip_forward")).hasContent("0\n");
  }

  @Test
  void persistsSortedKeysUnderAHeader() throws IOException {
    sysctl.persist(Map.of("net.ipv4.tcp_rmem", "4096\t87380  6291456", "net.ipv4.ip_forward", "1"));

    var file = host.resolve("etc/sysctl.d/90-flotilla.conf");
    assertThat(Files.readString(file)).isEqualTo("""
        # managed by flotilla-agent; changes are overwritten
        net.ipv4.ip_forward = 1
        net.ipv4.tcp_rmem = 4096 87380 6291456
        """);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
  }

  @Test
  void leavesAnIdenticalPersistedFileAlone() throws IOException {
    sysctl.persist(Map.of("net.ipv4.ip_forward", "1"));
    var file = host.resolve("etc/sysctl.d/90-flotilla.conf");
    var before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();

    sysctl.persist(Map.of("net.ipv4.ip_forward", "1"));

    assertThat(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())
        .isEqualTo(before);
  }

  @Test
  void removesThePersistedFileWhenNothingIsDeclared() throws IOException {
    sysctl.persist(Map.of("net.ipv4.ip_forward", "1"));

    sysctl.persist(Map.of());

    assertThat(host.resolve("etc/sysctl.d/90-flotilla.conf")).doesNotExist();
    assertThat(host.resolve("etc/sysctl.d")).isEmptyDirectory();
  }
}
