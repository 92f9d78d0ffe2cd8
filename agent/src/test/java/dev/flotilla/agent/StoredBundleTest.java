package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.trust.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torn {@code current.json} is named, the good {@code previous.json} is enforced instead until the server's copy
 * repairs the store, and with neither usable the agent says so rather than claiming to keep a state.
 */
class StoredBundleTest {
  @TempDir
  Path dir;
  TestDevice device;
  StandInServer server;
  BundleStore store;
  byte[] one;
  byte[] two;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    server = new StandInServer();
    store = new BundleStore(device.stateDir);
    one = device.signed(TestDevice.payload(1, Map.of("/etc/motd", "one\n"), Map.of()));
    two = device.signed(TestDevice.payload(2, Map.of("/etc/motd", "two\n"), Map.of()));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void aTornCurrentBundleFallsBackToThePreviousOneUntilTheServerSendsItAgain() throws Exception {
    try (var agent = device.agent()) {
      agent.applyFile(one);
      agent.applyFile(two);
    }
    tear(store.currentFile());
    Files.writeString(device.host.resolve("etc/motd"), "tampered\n");

    try (var agent = device.agent(server.uri())) {
      var resumed = agent.resume().orElseThrow();

      assertThat(resumed.version()).isEqualTo(1);
      assertThat(resumed.outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("one\n");
      assertThat(device.logLines()).anySatisfy(line -> assertThat(line)
          .startsWith("refuse stored bundle '" + store.currentFile() + "': verify bundle: not JSON")
          .endsWith("; enforcing version 1 from '" + store.previousFile() + "' until a new bundle arrives"));

      server.serve("\"v2\"", two);
      var repaired = agent.reconcileOnce(Duration.ZERO);

      assertThat(repaired.outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(repaired.version()).isEqualTo(2);
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("two\n");
      assertThat(store.current()).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(two));
      assertThat(store.previous()).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(one));
    }
  }

  @Test
  void withNoUsableStoredBundleTheAgentSaysNothingIsEnforced() throws Exception {
    try (var agent = device.agent()) {
      agent.applyFile(one);
    }
    tear(store.currentFile());

    try (var agent = device.agent()) {
      var resumed = agent.resume().orElseThrow();

      assertThat(resumed.outcome()).isEqualTo(PassOutcome.REFUSED_BUNDLE);
      assertThat(resumed.refusal()).isEqualTo(Refusal.MALFORMED);
      assertThat(resumed.version()).isZero();
      assertThat(resumed.message()).startsWith("refuse stored bundle: '" + store.currentFile() + "': verify bundle:"
          + " not JSON").endsWith("; '" + store.previousFile() + "': missing; nothing is enforced until a new bundle"
          + " arrives");
      assertThat(agent.currentVersion()).isZero();
      assertThatThrownBy(agent::plan).isInstanceOf(IOException.class)
          .hasMessageStartingWith("plan stored bundle: '" + store.currentFile() + "': verify bundle: not JSON");
    }
  }

  @Test
  void aPreviousBundleIsNotUsedWhenItIsNotOlderThanTheLastAccepted() throws Exception {
    try (var agent = device.agent()) {
      agent.applyFile(one);
      agent.applyFile(two);
    }
    Files.write(store.previousFile(), two);
    tear(store.currentFile());

    try (var agent = device.agent()) {
      assertThat(agent.resume().orElseThrow().message()).contains("; '" + store.previousFile() + "': version 2 is"
          + " not older than the last accepted version 2; nothing is enforced");
    }
  }

  @Test
  void aCurrentBundleOverTheCapIsRefusedUnreadAndThePreviousOneEnforced() throws Exception {
    try (var agent = device.agent()) {
      agent.applyFile(one);
      agent.applyFile(two);
    }
    try (var grown = new java.io.RandomAccessFile(store.currentFile().toFile(), "rw")) {
      grown.setLength(dev.flotilla.bundle.BundleFormat.MAX_BYTES + 1L);
    }

    try (var agent = device.agent()) {
      assertThat(agent.enforced()).hasValue(1);
      assertThat(device.logLines()).contains("refuse stored bundle '" + store.currentFile() + "': read bundle '"
          + store.currentFile() + "': it is 16777217 bytes, over the cap of 16 MiB (16777216 bytes); enforcing"
          + " version 1 from '" + store.previousFile() + "' until a new bundle arrives");
    }
  }

  /** Cuts a file in half, as a crash of a non-atomic writer or a failing disk would. */
  private static void tear(Path file) throws IOException {
    var bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
  }
}
