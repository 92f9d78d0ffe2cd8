package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback, as {@link LiveFleetIT}: what an agent refuses from a correctly signed bundle (paths its
 * own config does not allow, symlinks in managed paths), and a rotated bundle-signer key the agent learns through
 * {@code GET /v1/trust/roots}.
 */
class AgentSafetyIT {
  static final String POLICY = "tenants/acme-retail/policies/base-hardening.yaml";

  @TempDir
  Path work;
  LiveFleet fleet;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of("kiosk-berlin-01-a"));
    fleet.commit("Enrol one device");
    fleet.startReconciler(Duration.ofSeconds(1));
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("first bundle applied").isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  @Test
  void refusesAFileOutsideItsAllowedPathsAndAppliesNothing() throws Exception {
    addFiles("/opt/evil.conf", "/etc/flotilla-first.conf");

    var pass = awaitRefusal();

    assertThat(pass.message()).contains("'/opt/evil.conf': outside the allowed paths (/etc)");
    assertThat(root().resolve("opt/evil.conf")).doesNotExist();
    assertThat(root().resolve("etc/flotilla-first.conf")).doesNotExist();
  }

  @Test
  void refusesToWriteThroughASymlinkPointingOutside() throws Exception {
    var outside = Files.createDirectories(work.resolve("outside"));
    Files.createSymbolicLink(root().resolve("etc/kiosk"), outside);
    addFiles("/etc/kiosk/evil.conf", "/etc/flotilla-first.conf");

    var pass = awaitRefusal();

    assertThat(pass.message()).contains("'/etc/kiosk/evil.conf'").contains("is a symlink");
    assertThat(outside.resolve("evil.conf")).doesNotExist();
    assertThat(root().resolve("etc/flotilla-first.conf")).doesNotExist();
  }

  @Test
  void followsARotatedBundleSignerThroughTheTrustRoots() throws Exception {
    var port = fleet.server.address().getPort();
    var rotate = Run.flotilla("keys", "rotate", "--repo", fleet.repo.toString(), "--keys", fleet.keys.toString());
    assertThat(rotate.exitCode()).as(rotate.err()).isZero();
    declare("/etc/flotilla-rotated.conf");
    var commit = fleet.commit("Rotate the bundle-signer key");
    fleet.server.close(); // a reconciler signs with the key it started with: restart it on the same port
    fleet.server = new dev.flotilla.server.ReconcilerServer(new dev.flotilla.reconcile.ReconcilerConfig(
        fleet.repo.toString(), "main", work.resolve("reconciler"), fleet.keys.resolve("bundle-signer.pem"),
        "127.0.0.1", port, List.of("localhost", "127.0.0.1"), null, null, Duration.ofSeconds(1), Duration.ofDays(7),
        null, null), java.time.Clock.systemUTC()).start();

    assertThat(fleet.awaitServing(commit, Duration.ofSeconds(30))).isTrue();
    assertThat(fleet.awaitConverged(Duration.ofSeconds(60))).isTrue();
    assertThat(root().resolve("etc/flotilla-rotated.conf")).hasContent("managed\n");
    assertThat(fleet.devices.getFirst().agent().root().getSigned().getVersion()).isEqualTo(2);
  }

  private Path root() {
    return fleet.devices.getFirst().root();
  }

  /** Adds files to the policy every acme device gets, commits and waits until the reconciler serves it. */
  private void addFiles(String... paths) throws Exception {
    declare(paths);
    var commit = fleet.commit("Add " + String.join(", ", paths));
    fleet.server.wakeUp();
    assertThat(fleet.awaitServing(commit, Duration.ofSeconds(30))).isTrue();
  }

  private void declare(String... paths) throws Exception {
    var policy = fleet.repo.resolve(POLICY);
    var entries = new StringBuilder();
    for (var path : paths) {
      entries.append("      - path: ").append(path).append("\n        content: \"managed\\n\"\n        mode: \"0644\"\n");
    }
    Files.writeString(policy, Files.readString(policy).replace("    files:\n", "    files:\n" + entries));
  }

  /**
   * Waits for the agent's pass over the newest bundle, which must have been refused as a whole: reported as
   * RefusedPlan naming that version, with the agent still on the bundle before it.
   */
  private dev.flotilla.agent.status.Pass awaitRefusal() throws Exception {
    var agent = fleet.devices.getFirst().agent();
    var served = fleet.served("kiosk-berlin-01-a");
    var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && !refused(agent.last(), served)) {
      Thread.sleep(20);
    }
    var pass = agent.last();
    assertThat(refused(pass, served)).as(pass == null ? "no pass" : pass.reason() + ": " + pass.message()).isTrue();
    assertThat(pass.ready()).isFalse();
    assertThat(agent.state().lastAcceptedVersion()).isLessThan(served);
    assertThat(pass.message()).endsWith("; keeping version " + agent.state().lastAcceptedVersion());
    return pass;
  }

  private static boolean refused(dev.flotilla.agent.status.Pass pass, long version) {
    return pass != null && pass.outcome() == PassOutcome.REFUSED_PLAN
        && pass.message().startsWith("refuse bundle version " + version + ": ");
  }
}
