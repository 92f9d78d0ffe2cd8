package dev.flotilla.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityReaderTest {
  @TempDir
  Path host;

  @TempDir
  Path proc;

  void write(Path root, String path, String content) throws IOException {
    var file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void hashesLinuxAndTheMachineId() {
    // printf 'linux:0123456789abcdef0123456789abcdef' | sha256sum
    assertThat(IdentityReader.hash("0123456789abcdef0123456789abcdef"))
        .isEqualTo("sha256:0434c62c29ad65e63b378f6aac191efc632faf91c7dac8aa9a6fd59b05eaeef0");
  }

  @Test
  void readsIdentityUnderTheHostRoot() throws IOException {
    write(host, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    write(host, "sys/class/dmi/id/product_uuid", "4C4C4544-0042-3510-8052-B3C04F4E4E32\n");
    write(host, "etc/hostname", "kiosk-berlin-001\n");
    write(host, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
    write(proc, "sys/kernel/osrelease", "6.1.0-27-amd64\n");

    var identity = new IdentityReader(host, proc).read();

    assertThat(identity.getMachineId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(identity.getIdentityHash()).isEqualTo(IdentityReader.hash("0123456789abcdef0123456789abcdef"));
    assertThat(identity.getDmiProductUuid()).isEqualTo("4C4C4544-0042-3510-8052-B3C04F4E4E32");
    assertThat(identity.getHostname()).isEqualTo("kiosk-berlin-001");
    assertThat(identity.getOs()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    assertThat(identity.getKernel()).isEqualTo("6.1.0-27-amd64");
  }

  @Test
  void clonesWithAnotherDmiUuidKeepTheirIdentity() throws IOException {
    write(host, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    var original = new IdentityReader(host, proc).read().getIdentityHash();
    write(host, "sys/class/dmi/id/product_uuid", "11111111-2222-3333-4444-555555555555\n");

    assertThat(new IdentityReader(host, proc).read().getIdentityHash()).isEqualTo(original);
  }

  @Test
  void refusesAMissingMachineId() {
    assertThatThrownBy(() -> new IdentityReader(host, proc).read())
        .hasMessage("read machine id '" + host.resolve("etc/machine-id") + "': no such file; "
            + "run 'systemd-machine-id-setup'");
  }

  @Test
  void refusesAMalformedMachineId() throws IOException {
    write(host, "etc/machine-id", "uninitialized\n");

    assertThatThrownBy(() -> new IdentityReader(host, proc).read())
        .hasMessageContaining("not 32 lowercase hex digits");
  }
}
