package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentWiring;
import dev.flotilla.agent.claim.Claimed;
import dev.flotilla.trust.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-touch enrolment end to end on loopback: a real bare Git origin, the reconciler over TLS, the operator's CLI
 * in a clone, and agents in sandboxes claiming with tokens.
 */
class ClaimFlowIT {
  @TempDir
  Path work;
  ClaimRig rig;

  @BeforeEach
  void start() throws Exception {
    rig = new ClaimRig(work);
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  /** Runs the agent until it applied the bundle the reconciler serves it; returns the device name. */
  static String awaitFirstBundle(ClaimRig rig, Agent agent, String device) throws Exception {
    var loop = ClaimRig.loop(agent);
    var thread = Thread.ofPlatform().daemon(true).start(loop::run);
    try {
      var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        var served = rig.server.reconciler().publisher().get(device);
        var last = agent.last();
        if (served != null && last != null && last.ready() && last.version() == served.version()) {
          return device;
        }
        Thread.sleep(20);
      }
      throw new AssertionError("device '" + device + "' did not apply its first bundle; last pass " + agent.last());
    } finally {
      loop.close();
      thread.join(5000);
      agent.close();
    }
  }

  @Test
  void autoApprovedClaimIsCommittedAndItsFirstBundleApplied() throws Exception {
    var token = rig.createToken("--name", "berlin-kiosks", "--labels", "store=berlin-01,role=kiosk", "--channel",
        "dev", "--ttl", "1h", "--max-uses", "3", "--auto-approve");
    rig.startReconciler();
    var sandbox = rig.sandbox("kiosk-new", token);
    var before = rig.deviceFiles().size();

    var started = System.nanoTime();
    var agent = AgentWiring.agent(rig.agentConfig(sandbox), Clock.systemUTC());
    var claimed = Claimed.read(sandbox.resolve("state")).orElseThrow();
    System.out.printf("claim -> enrolled: %.2f s%n", (System.nanoTime() - started) / 1e9);
    awaitFirstBundle(rig, agent, claimed.device());
    var seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("claim -> first bundle applied (auto-approve, loopback): %.2f s%n", seconds);

    assertThat(rig.deviceFiles()).hasSize(before + 1);
    var file = rig.originFile("tenants/acme-retail/devices/" + claimed.device() + ".yaml");
    assertThat(file).contains("  labels:\n    role: kiosk\n    store: berlin-01\n", "  channel: dev\n",
        "claimToken: berlin-kiosks", "hash: sha256:", "-----BEGIN PUBLIC KEY-----");
    assertThat(file).doesNotContain(token);
    assertThat(claimed.device()).startsWith("kiosk-new-");
    assertThat(Files.getPosixFilePermissions(Path.of(claimed.privateKey())))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(sandbox.resolve("root/etc/motd"))).contains("Acme Retail");
    // the next start runs from what the claim left in the state dir, without the token
    Files.delete(sandbox.resolve("token"));
    try (var again = AgentWiring.agent(rig.agentConfig(sandbox), Clock.systemUTC())) {
      assertThat(again.resume()).isPresent();
    }
  }

  @Test
  void manualApprovalSurvivesAReconcilerRestart() throws Exception {
    var token = rig.createToken("--name", "hamburg", "--max-uses", "2");
    rig.startReconciler();
    var sandbox = rig.sandbox("kiosk-hh", token);
    var agent = new AtomicReference<Agent>();
    var failure = new AtomicReference<Throwable>();
    var claiming = Thread.ofPlatform().daemon(true).start(() -> {
      try {
        agent.set(AgentWiring.agent(rig.agentConfig(sandbox), Clock.systemUTC()));
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    var list = awaitPending();
    assertThat(list).contains("kiosk-hh-", "hamburg");
    var id = list.lines().filter(l -> l.startsWith("c")).findFirst().orElseThrow().split(" +")[0];
    var before = rig.deviceFiles().size();

    rig.restartReconciler(); // same port: the waiting agent keeps polling; its claim is on the claims branch
    assertThat(Run.flotilla("claim", "list", "--repo", rig.ops.toString()).out()).contains(id);
    var approve = Run.flotilla("claim", "approve", id, "--repo", rig.ops.toString());
    assertThat(approve.exitCode()).as(approve.err()).isZero();
    assertThat(approve.out()).startsWith("approved claim '" + id + "' as device 'kiosk-hh-");
    rig.push();
    assertThat(rig.deviceFiles()).hasSize(before + 1);

    claiming.join(Duration.ofSeconds(60));
    assertThat(failure.get()).isNull();
    var claimed = Claimed.read(sandbox.resolve("state")).orElseThrow();
    awaitFirstBundle(rig, agent.get(), claimed.device());
    assertThat(Run.flotilla("claim", "list", "--repo", rig.ops.toString()).out()).isEqualTo("no pending claims\n");
  }

  /** Polls 'flotilla claim list' until a claim shows. */
  String awaitPending() throws Exception {
    var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var out = Run.flotilla("claim", "list", "--repo", rig.ops.toString()).out();
      if (!out.startsWith("no pending")) {
        return out;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pending claim appeared");
  }

  @Test
  void rejectedClaimIsToldAndWritesNoDevice() throws Exception {
    var token = rig.createToken("--name", "munich");
    rig.startReconciler();
    var keys = Keys.generate();
    var response = rig.post(ClaimRig.claimBody(token, keys, ClaimRig.machineId(), "pos-m"), keys);
    assertThat(response.statusCode()).isEqualTo(202);
    var id = ClaimRig.JSON.readTree(response.body()).path("id").asText();
    var before = rig.deviceFiles().size();
    var reject = Run.flotilla("claim", "reject", id, "--repo", rig.ops.toString());
    assertThat(reject.exitCode()).as(reject.err()).isZero();
    rig.server.wakeUp();
    var client = new dev.flotilla.agent.claim.ClaimClient(rig.url(), rig.server.serverCertificate(),
        keys.getPrivate(), Clock.systemUTC());
    var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!client.poll(id).state().equals("rejected") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(client.poll(id).state()).isEqualTo("rejected");
    assertThat(rig.deviceFiles()).hasSize(before);
    assertThat(Run.flotilla("claim", "approve", id, "--repo", rig.ops.toString()).err())
        .isEqualTo("flotilla: approve claim '" + id + "': no such pending claim; see 'flotilla claim list'\n");
  }
}
