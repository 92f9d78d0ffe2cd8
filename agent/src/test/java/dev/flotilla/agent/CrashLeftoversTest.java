package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.agent.status.PassOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent killed mid-apply (kill -9, a power cut) leaves the new bundle stored and accepted, some files renamed
 * into place, and the temp file of the write in flight (and, killed mid-save, one in its state directory). At its
 * next start the agent removes its own temp files in the directories it manages, finishes the apply, and reports
 * the pass as a recovery, not as drift.
 */
class CrashLeftoversTest {
  private static final Map<String, String> TWO = Map.of("/etc/motd", "two\n", "/etc/app/app.conf", "secret=2\n");

  @TempDir
  Path dir;
  TestDevice device;
  Path etc;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    device.procKey("net.ipv4.ip_forward", "0");
    etc = device.host.resolve("etc");
    try (var agent = device.agent()) {
      assertThat(agent.applyFile(device.signed(TestDevice.payload(1,
          Map.of("/etc/motd", "one\n", "/etc/app/app.conf", "secret=1\n"), Map.of("net.ipv4.ip_forward", "1"))))
          .outcome()).isEqualTo(PassOutcome.APPLIED);
    }
    crashWhileApplyingVersionTwo();
  }

  @Test
  void removesItsTempFilesAtStartAndReportsTheFinishedApplyAsARecovery() throws Exception {
    try (var agent = device.agent()) {
      var pass = agent.resume().orElseThrow();

      assertThat(pass.outcome()).isEqualTo(PassOutcome.RECOVERED);
      assertThat(pass.version()).isEqualTo(2);
      assertThat(pass.message()).isEqualTo("1 change(s): ~ file /etc/app/app.conf (content)");
      assertThat(etc.resolve("app/app.conf")).hasContent("secret=2\n");
      assertThat(etc.resolve("app/.app.conf.7046152287915.flotilla-tmp")).doesNotExist();
      assertThat(etc.resolve("sysctl.d/.90-flotilla.conf.12.flotilla-tmp")).doesNotExist();
      assertThat(device.logLines()).contains("remove 2 temp file(s) left by an interrupted apply: "
          + "/etc/app/.app.conf.7046152287915.flotilla-tmp, /etc/sysctl.d/.90-flotilla.conf.12.flotilla-tmp");
      assertThat(device.stateDir.resolve("bundles/.current.json.31.tmp")).doesNotExist();
      assertThat(agent.state().driftCount()).as("a recovery is not drift").isZero();
      assertThat(device.logLines()).noneMatch(line -> line.startsWith("drift "));
    }
  }

  @Test
  void keepsFilesWithSimilarNamesThatItDidNotMake() throws Exception {
    var outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("target"), "not the agent's\n");
    var foreign = List.of(etc.resolve("app/app.conf.flotilla-tmp"), etc.resolve("app/.app.conf.flotilla-tmp"),
        etc.resolve("app/.app.conf.x1.flotilla-tmp"), etc.resolve("app/.app.conf.12.flotilla-tmp.bak"),
        etc.resolve("unmanaged/.motd.12.flotilla-tmp"), device.host.resolve("opt/.motd.12.flotilla-tmp"));
    for (var file : foreign) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "someone else's\n");
    }
    var link = Files.createSymbolicLink(etc.resolve("app/.link.12.flotilla-tmp"), outside.resolve("target"));
    var directory = Files.createDirectories(etc.resolve("app/.dir.12.flotilla-tmp"));

    try (var agent = device.agent()) {
      agent.resume().orElseThrow();
    }

    assertThat(foreign).allSatisfy(file -> assertThat(file).hasContent("someone else's\n"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(outside.resolve("target")).hasContent("not the agent's\n");
    assertThat(directory).isDirectory();
  }

  @Test
  void aRestartAfterACompleteApplyWithNoLeftoversIsNotARecovery() throws Exception {
    try (var agent = device.agent()) {
      agent.resume().orElseThrow();
    }
    Files.writeString(etc.resolve("motd"), "tampered while the agent was stopped\n");

    try (var agent = device.agent()) {
      var pass = agent.resume().orElseThrow();

      assertThat(pass.outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(pass.message()).isEqualTo("1 change(s): ~ file /etc/motd (content)");
    }
  }

  /**
   * What the agent leaves when killed while applying version 2 (stored and accepted before any write): motd
   * renamed into place, app.conf's new content still in its temp file (mode 0600), and a temp file of the
   * sysctl.d file from an earlier interrupted write.
   */
  private void crashWhileApplyingVersionTwo() throws Exception {
    var two = TestDevice.payload(2, TWO, Map.of("net.ipv4.ip_forward", "1"));
    new BundleStore(device.stateDir).saveCurrent(device.signed(two));
    try (var state = AgentState.open(device.stateDir)) {
      state.accept(2, two.getSourceCommit(), Instant.now());
    }
    Files.writeString(etc.resolve("motd"), "two\n");
    var temp = Files.writeString(etc.resolve("app/.app.conf.7046152287915.flotilla-tmp"), "secret=2\n");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(etc.resolve("sysctl.d/.90-flotilla.conf.12.flotilla-tmp"), "net.ipv4.ip_forward = 1\n");
    Files.writeString(device.stateDir.resolve("bundles/.current.json.31.tmp"), "{\"torn\":");
  }
}
