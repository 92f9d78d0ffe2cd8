package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.agent.status.PassOutcome;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle that verifies but whose plan the host refuses as a whole (a path outside the allowed ones, a symlink
 * among a path's parents) never becomes the current bundle: the last good one stays stored, accepted and enforced.
 */
class RefusedPlanTest {
  @TempDir
  Path dir;
  TestDevice device;
  StandInServer server;
  byte[] two;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    server = new StandInServer();
    two = device.signed(TestDevice.payload(2, Map.of("/etc/motd", "two\n"), Map.of()));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void aBundleWritingOutsideTheAllowedPathsIsRefusedAndTheLastGoodOneIsStillEnforced() throws Exception {
    try (var agent = device.agent(server.uri())) {
      server.serve("\"v2\"", two);
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.APPLIED);

      server.serve("\"v3\"", device.signed(TestDevice.payload(3,
          Map.of("/etc/motd", "three\n", "/usr/local/bin/evil", "#!/bin/sh\n"), Map.of())));
      var refused = agent.reconcileOnce(Duration.ZERO);

      assertThat(refused.outcome()).isEqualTo(PassOutcome.REFUSED_PLAN);
      assertThat(refused.ready()).isFalse();
      assertThat(refused.version()).isEqualTo(2);
      assertThat(refused.message()).isEqualTo("refuse bundle version 3: write file '/usr/local/bin/evil': outside"
          + " the allowed paths (/etc); add its directory to allowedPaths in the agent config; keeping version 2");
      assertThat(server.reports.getLast()).contains("\"bundleVersion\":2")
          .contains("\"reason\":\"" + PassOutcome.REFUSED_PLAN.reason() + "\"")
          .contains("refuse bundle version 3: write file '/usr/local/bin/evil'");
      assertKeptOnVersionTwo(agent);

      Files.writeString(device.host.resolve("etc/motd"), "tampered\n");
      var corrected = agent.reconcileOnce(Duration.ZERO);
      assertThat(corrected.outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(corrected.version()).isEqualTo(2);
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("two\n");
      assertThat(refusals()).isEqualTo(1);
    }
  }

  @Test
  void theSameRefusedVersionUnderAnotherEtagIsNotPlannedAgain() throws Exception {
    try (var agent = device.agent(server.uri())) {
      server.serve("\"v2\"", two);
      agent.reconcileOnce(Duration.ZERO);
      var three = device.signed(TestDevice.payload(3, Map.of("/usr/local/bin/evil", "x\n"), Map.of()));
      server.serve("\"v3\"", three);
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.REFUSED_PLAN);

      server.serve("\"v3-again\"", three);
      var pass = agent.reconcileOnce(Duration.ZERO);

      assertThat(pass.outcome()).isEqualTo(PassOutcome.UP_TO_DATE);
      assertThat(pass.version()).isEqualTo(2);
      assertThat(refusals()).isEqualTo(1);
    }
  }

  @Test
  void aPathWhoseParentIsASymlinkOutsideIsRefusedAndARestartEnforcesTheLastGoodBundle() throws Exception {
    var outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(device.host.resolve("etc/app"), outside);
    try (var agent = device.agent(server.uri())) {
      assertThat(agent.applyFile(two).outcome()).isEqualTo(PassOutcome.APPLIED);

      var pass = agent.applyFile(device.signed(TestDevice.payload(3,
          Map.of("/etc/motd", "three\n", "/etc/app/app.conf", "evil\n"), Map.of())));

      assertThat(pass.outcome()).isEqualTo(PassOutcome.REFUSED_PLAN);
      assertThat(pass.message()).startsWith("refuse bundle version 3: write file '/etc/app/app.conf': ")
          .contains("is a symlink").endsWith("; keeping version 2");
      assertThat(outside.resolve("app.conf")).doesNotExist();
      assertKeptOnVersionTwo(agent);
    }
    Files.writeString(device.host.resolve("etc/motd"), "tampered\n");
    try (var restarted = device.agent()) {
      var resumed = restarted.resume().orElseThrow();
      assertThat(resumed.outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(resumed.version()).isEqualTo(2);
      assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("two\n");
    }
  }

  @Test
  void aFirstBundleRefusedAtPlanLeavesNoBundle() throws Exception {
    try (var agent = device.agent()) {
      var pass = agent.applyFile(device.signed(TestDevice.payload(1, Map.of("/usr/local/bin/evil", "x\n"), Map.of())));

      assertThat(pass.message()).startsWith("refuse bundle version 1: write file '/usr/local/bin/evil'")
          .endsWith("; no bundle applied yet");
      assertThat(agent.state().lastAcceptedVersion()).isZero();
      assertThat(new BundleStore(device.stateDir).current()).isEmpty();
      assertThat(agent.plan().isEmpty()).isTrue();
    }
  }

  private void assertKeptOnVersionTwo(Agent agent) throws Exception {
    var store = new BundleStore(device.stateDir);
    assertThat(agent.state().lastAcceptedVersion()).isEqualTo(2);
    assertThat(store.current()).hasValueSatisfying(raw -> assertThat(raw).isEqualTo(two));
    assertThat(store.previous()).isEmpty();
    assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("two\n");
    assertThat(device.host.resolve("usr")).doesNotExist();
    assertThat(agent.plan().isEmpty()).as("the current bundle is version 2, already applied").isTrue();
  }

  private double refusals() {
    return device.metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("flotilla_agent_bundles_refused"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }
}
