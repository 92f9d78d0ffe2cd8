package dev.flotilla.agent.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimedTest {
  @TempDir
  Path stateDir;

  @Test
  void removesTheTempFilesAnInterruptedClaimLeftAndKeepsWhatItSaved() throws IOException {
    new Claimed("kiosk-1", "acme", "/var/lib/flotilla/device.pem", "/var/lib/flotilla/root.json").write(stateDir);
    var claimed = Files.writeString(stateDir.resolve(".claimed-991.tmp"), "device: kiosk-1");
    var key = Files.writeString(stateDir.resolve(".key-992.tmp"), "-----BEGIN PRIVATE KEY-----");
    var foreign = Files.writeString(stateDir.resolve("notes.tmp"), "someone else's");

    assertThat(Claimed.removeTempFiles(stateDir)).containsExactlyInAnyOrder(claimed, key);

    assertThat(foreign).exists();
    assertThat(Claimed.read(stateDir)).map(Claimed::device).contains("kiosk-1");
  }
}
