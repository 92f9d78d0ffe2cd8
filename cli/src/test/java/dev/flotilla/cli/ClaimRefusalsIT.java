package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.trust.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of a claim, each with its status and one-line reason and no Device file written; and a hundred
 * devices claiming at once, all enrolled exactly once.
 */
class ClaimRefusalsIT {
  @TempDir
  Path work;
  ClaimRig rig;
  String auto;

  @BeforeEach
  void start() throws Exception {
    rig = new ClaimRig(work);
    auto = rig.createToken("--name", "auto", "--auto-approve", "--max-uses", "100");
  }

  @AfterEach
  void stop() throws Exception {
    rig.close();
  }

  void assertRefused(byte[] body, dev.flotilla.model.ClaimRequest unused, java.security.KeyPair keys, int status,
      String message) throws Exception {
    var before = rig.deviceFiles();
    var response = rig.post(body, keys);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).isEqualTo(message + "\n");
    assertThat(rig.deviceFiles()).isEqualTo(before);
  }

  @Test
  void refusesEachBadClaimWithAReasonAndWritesNothing() throws Exception {
    var once = rig.createToken("--name", "once", "--auto-approve", "--max-uses", "1");
    var revoked = rig.createToken("--name", "gone", "--auto-approve");
    assertThat(Run.flotilla("token", "revoke", "gone", "--repo", rig.ops.toString()).exitCode()).isZero();
    var expired = rig.createToken("--name", "old", "--auto-approve");
    var path = rig.ops.resolve("tenants/acme-retail/claim-tokens/old.yaml");
    Files.writeString(path, YamlEdit.of(Files.readString(path)).set("spec.expiresAt", "2020-01-01T00:00:00Z").text());
    rig.opsGit.commit().setAll(true).setMessage("expire old").setSign(false).call();
    rig.push();
    rig.startReconciler();

    var first = Keys.generate();
    var firstId = ClaimRig.machineId();
    assertThat(rig.post(ClaimRig.claimBody(once, first, firstId, "a"), first).statusCode()).isEqualTo(201);
    var k = Keys.generate();
    var unknown = "flt1." + "A".repeat(43) + "." + once.substring(once.lastIndexOf('.') + 1);
    assertRefused(ClaimRig.claimBody(unknown, k, ClaimRig.machineId(), "b"), null, k, 403,
        "claim: unknown claim token; check the token file, or ask for a new token");
    assertRefused(ClaimRig.claimBody(expired, k, ClaimRig.machineId(), "b"), null, k, 403,
        "claim: token 'old' of tenant 'acme-retail' expired at 2020-01-01T00:00:00Z; ask for a new token");
    assertRefused(ClaimRig.claimBody(revoked, k, ClaimRig.machineId(), "b"), null, k, 403,
        "claim: token 'gone' of tenant 'acme-retail' is revoked; ask for a new token");
    assertRefused(ClaimRig.claimBody(once, k, ClaimRig.machineId(), "b"), null, k, 403,
        "claim: token 'once' of tenant 'acme-retail' has no uses left (1 of 1 used); ask for a new token");
    assertRefused(ClaimRig.claimBody(auto, k, ClaimRig.machineId(), "b"), null, Keys.generate(), 401,
        "claim request: bad request signature; sign it with the key it carries");
    var clone = rig.post(ClaimRig.claimBody(auto, k, firstId, "b"), k);
    assertThat(clone.statusCode()).isEqualTo(409);
    assertThat(clone.body()).startsWith("claim: identity sha256:").contains("is already enrolled as device 'a-");
    var sameKey = rig.post(ClaimRig.claimBody(auto, first, ClaimRig.machineId(), "b"), first);
    assertThat(sameKey.statusCode()).isEqualTo(409);
    assertThat(sameKey.body()).startsWith("claim: this public key is already in use by device 'a-");
    assertRefused("{\"token\": ".getBytes(), null, k, 400, "claim request: not JSON: Unexpected end-of-input within/between Object entries");
    var extra = ClaimRig.JSON.readTree(ClaimRig.claimBody(auto, k, ClaimRig.machineId(), "b"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) extra).put("tenant", "globex-cafes");
    assertRefused(ClaimRig.JSON.writeValueAsBytes(extra), null, k, 400,
        "claim request: unknown field 'tenant'");
    assertRefused(("{\"token\":\"" + "x".repeat(20_000) + "\"}").getBytes(), null, k, 413,
        "claim request: body over 16384 bytes");
    var leaked = rig.post(ClaimRig.claimBody("not-" + auto, k, ClaimRig.machineId(), "b"), k);
    assertThat(leaked.statusCode()).isEqualTo(400);
    assertThat(leaked.body()).doesNotContain(auto).contains("token: not a claim token");
  }

  @Test
  void ratesLimitFailedClaimsPerSource() throws Exception {
    rig.startReconciler();
    var k = Keys.generate();
    var unknown = "flt1." + "B".repeat(43) + ".0123456789abcdef";
    var codes = new ArrayList<Integer>();
    for (int i = 0; i < 24; i++) {
      codes.add(rig.post(ClaimRig.claimBody(unknown, k, ClaimRig.machineId(), "x"), k).statusCode());
    }
    assertThat(codes.subList(0, 20)).containsOnly(403);
    assertThat(codes.subList(20, 24)).contains(429).isSubsetOf(403, 429);
  }

  @Test
  void hundredDevicesClaimingAtOnceAreAllEnrolledOnce() throws Exception {
    rig.startReconciler();
    var before = rig.deviceFiles().size();
    var started = System.nanoTime();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var answers = new ArrayList<Future<Integer>>();
      for (int i = 0; i < 100; i++) {
        var name = "kiosk-" + i;
        answers.add(pool.submit(() -> {
          var keys = Keys.generate();
          return rig.post(ClaimRig.claimBody(auto, keys, ClaimRig.machineId(), name), keys).statusCode();
        }));
      }
      for (var answer : answers) {
        assertThat(answer.get()).isEqualTo(201);
      }
    }
    System.out.printf("100 concurrent claims committed: %.2f s%n", (System.nanoTime() - started) / 1e9);
    var files = rig.deviceFiles();
    assertThat(files).hasSize(before + 100);
    assertThat(new HashSet<>(files)).hasSize(files.size());
    var over = rig.post(ClaimRig.claimBody(auto, Keys.generate(), ClaimRig.machineId(), "late"), Keys.generate());
    assertThat(over.statusCode()).isEqualTo(401);
    List<String> claimedByAuto = files.stream().filter(f -> f.matches(".*/kiosk-[0-9]+-[0-9a-f]{6}\\.yaml")).toList();
    assertThat(claimedByAuto).hasSize(100);
  }
}
