package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.claim.DeviceFile;
import dev.flotilla.claim.PendingClaim;
import dev.flotilla.cli.fleet.CheckoutOptions;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.schema.YamlReader;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.PinnedCa;
import dev.flotilla.validate.FleetValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a device sends can change the fleet beyond what its token grants, nor leave the fleet invalid: hostile
 * identities through the real claim endpoint (auto-approve) and through pending claims and 'flotilla claim approve';
 * keys of the wrong kind; claims whose Device file would break the fleet. After each, the fleet at the branch tip
 * still validates.
 */
class ClaimHardeningIT {
  static final List<String> HOSTILE = List.of("kiosk\nmetadata:\n  labels:\n    role: pos\n#",
      "kiosk\nspec:\n  state:\n    files: []", "x\u0085metadata: {labels: {role: pos}}", "a\u2028b", "nul\u0000",
      "esc\u001b[31m", "x".repeat(5_000), "# not a comment", "a # b: c", "---", "\"'\\", "- item",
      "{role: pos}", "caf\u00e9 \ud83d\udea2");

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

  static boolean forbidden(String fact) {
    return fact.length() > 32 || fact.chars().anyMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028
        || c == 0x2029);
  }

  static byte[] body(String token, KeyPair keys, String fact) throws Exception {
    var machineId = ClaimRig.machineId();
    var node = ClaimRig.JSON.createObjectNode().put("token", token).put("publicKey", Keys.publicPem(keys.getPublic()));
    node.putObject("identity").put("machineId", machineId).put("identityHash", IdentityReader.hash(machineId))
        .put("hostname", fact).put("os", fact).put("architecture", fact);
    return ClaimRig.JSON.writeValueAsBytes(node);
  }

  @Test
  void hostileIdentityOverTheClaimEndpointIsRefusedOrCommittedAsData() throws Exception {
    var auto = rig.createToken("--name", "auto", "--auto-approve", "--max-uses", "100", "--labels", "store=b-01");
    rig.startReconciler();
    for (var fact : HOSTILE) {
      var before = rig.deviceFiles();
      var keys = Keys.generate();
      var response = rig.post(body(auto, keys, fact), keys);
      if (forbidden(fact)) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).startsWith("claim request: ").hasLineCount(1);
        assertThat(rig.deviceFiles()).isEqualTo(before);
        continue;
      }
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      var device = ClaimRig.JSON.readTree(response.body()).path("device").asText();
      assertGranted(read(rig.originFile("tenants/acme-retail/devices/" + device + ".yaml")), device, fact, "b-01");
    }
    assertValid(originTip());
  }

  @Test
  void hostileIdentityThroughPendingClaimsAndApproveIsCommittedAsData() throws Exception {
    var desk = rig.createToken("--name", "desk", "--max-uses", "100", "--labels", "store=b-02");
    rig.startReconciler();
    var ids = new ArrayList<String>();
    var facts = new java.util.HashMap<String, String>();
    for (var fact : HOSTILE.stream().filter(f -> !forbidden(f)).toList()) {
      var keys = Keys.generate();
      var response = rig.post(body(desk, keys, fact), keys);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      var answer = ClaimRig.JSON.readTree(response.body());
      ids.add(answer.path("id").asText());
      facts.put(answer.path("device").asText(), fact);
    }
    // what an older reconciler stored, or anyone who can push to the claims branch: not what the token grants
    var tampered = pending("tampered-1", Keys.generate().getPublic(), HOSTILE.getFirst());
    var curve = p384();
    var p384 = pending("curve-1", curve.getPublic(), "kiosk");
    putOnClaimsBranch(tampered, p384);
    ids.add(tampered.id());
    for (int i = 0; i < 6; i++) { // the reconciler re-reads the claims branch every pass (500 ms here)
      rig.server.wakeUp();
      assertThat(poll(p384.id(), curve).statusCode()).as("a stored claim with a P-384 key is unknown").isEqualTo(404);
      Thread.sleep(500);
    }

    for (var id : ids) {
      var approve = Run.flotilla("claim", "approve", id, "--repo", rig.ops.toString());
      assertThat(approve.exitCode()).as(approve.err()).isZero();
    }
    var refused = Run.flotilla("claim", "approve", p384.id(), "--repo", rig.ops.toString());

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("flotilla: approve claim '" + p384.id() + "': publicKey: an ECDSA P-384 key;"
        + " devices claim with an ECDSA P-256 key pair\n");
    var head = opsHead();
    for (var device : facts.entrySet()) {
      var path = "tenants/acme-retail/devices/" + device.getKey() + ".yaml";
      assertGranted(read(new String(head.read(path, 1 << 20), StandardCharsets.UTF_8)), device.getKey(),
          device.getValue(), "b-02");
    }
    var device = read(new String(head.read("tenants/acme-retail/devices/tampered-1.yaml", 1 << 20),
        StandardCharsets.UTF_8));
    assertGranted(device, "tampered-1", HOSTILE.getFirst(), "b-02");
    assertValid(head);
  }

  @Test
  void keysOfTheWrongKindAreRefusedCountedAndLeaveTheFleetValid() throws Exception {
    var auto = rig.createToken("--name", "auto", "--auto-approve", "--max-uses", "100");
    rig.startReconciler();
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    var noKey = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(new byte[91]) + "\n"
        + "-----END PUBLIC KEY-----\n";
    var cases = Map.of(Keys.publicPem(p384().getPublic()), "publicKey: an ECDSA P-384 key",
        Keys.publicPem(rsa.generateKeyPair().getPublic()), "publicKey: an RSA key",
        noKey, "publicKey: not a PEM public key (its base64 is not a public key)",
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI device", "not a PEM public key (an OpenSSH key");
    var before = rig.deviceFiles();
    for (int round = 0; round < 5; round++) {
      for (var c : cases.entrySet()) {
        var signer = Keys.generate();
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) ClaimRig.JSON.readTree(body(auto, signer, "k"));
        node.put("publicKey", c.getKey());
        var response = rig.post(ClaimRig.JSON.writeValueAsBytes(node), signer);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).startsWith("claim request: " + c.getValue()).hasLineCount(1);
      }
    }
    var codes = new ArrayList<Integer>();
    for (int i = 0; i < 10 && !codes.contains(429); i++) {
      var signer = Keys.generate();
      var node = (com.fasterxml.jackson.databind.node.ObjectNode) ClaimRig.JSON.readTree(body(auto, signer, "k"));
      codes.add(rig.post(ClaimRig.JSON.writeValueAsBytes(node.put("publicKey", noKey)), signer).statusCode());
    }

    assertThat(codes).as("refused keys spend the source's tries (one back per 3 s)").contains(429)
        .isSubsetOf(400, 429);
    assertThat(rig.deviceFiles()).isEqualTo(before);
    assertValid(originTip());
  }

  @Test
  void claimWhoseDeviceFileWouldMakeTheFleetInvalidIsRefused() throws Exception {
    long devices;
    try (var files = Files.list(rig.ops.resolve("tenants/acme-retail/devices"))) {
      devices = files.count();
    }
    var tenant = rig.ops.resolve("tenants/acme-retail/tenant.yaml");
    Files.writeString(tenant, YamlEdit.of(Files.readString(tenant)).set("spec.quotas.maxDevices", devices).text());
    rig.opsGit.commit().setAll(true).setMessage("acme-retail is full").setSign(false).call();
    rig.push();
    var auto = rig.createToken("--name", "auto", "--auto-approve", "--max-uses", "10");
    var desk = rig.createToken("--name", "desk", "--max-uses", "10");
    rig.startReconciler();
    var before = rig.deviceFiles();

    for (var token : List.of(auto, desk)) {
      var keys = Keys.generate();
      var response = rig.post(body(token, keys, "kiosk"), keys);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("claim: its Device file would make the fleet invalid: "
          + "tenants/acme-retail/tenant.yaml: spec.quotas.maxDevices: tenant has " + (devices + 1) + " devices, more"
          + " than its quota of " + devices + "; ask an operator to fix the fleet or the claim token\n");
    }
    assertThat(rig.deviceFiles()).isEqualTo(before);
    assertThat(Run.flotilla("claim", "list", "--repo", rig.ops.toString()).out()).isEqualTo("no pending claims\n");
    assertValid(originTip());
  }

  /** The Device file holds exactly the token's grants and the device's facts as annotations, nothing else. */
  static void assertGranted(JsonNode file, String name, String fact, String store) {
    assertThat(file.fieldNames()).toIterable().containsExactly("apiVersion", "kind", "metadata", "spec");
    var metadata = file.path("metadata");
    assertThat(metadata.fieldNames()).toIterable().containsExactly("name", "tenant", "labels", "annotations");
    assertThat(metadata.path("name").asText()).isEqualTo(name);
    assertThat(metadata.path("tenant").asText()).isEqualTo("acme-retail");
    assertThat(ClaimRig.JSON.convertValue(metadata.path("labels"), Map.class)).isEqualTo(Map.of("store", store));
    assertThat(ClaimRig.JSON.convertValue(metadata.path("annotations"), Map.class)).isEqualTo(Map.of(
        DeviceFile.HOSTNAME, fact, DeviceFile.OS, fact, DeviceFile.ARCHITECTURE, fact));
    assertThat(file.path("spec").fieldNames()).toIterable().containsExactly("channel", "identity", "publicKey");
    assertThat(file.path("spec").path("channel").asText()).isEqualTo("prod");
    assertThat(file.path("spec").path("identity").fieldNames()).toIterable()
        .containsExactly("hash", "claimedAt", "claimToken");
  }

  static JsonNode read(String yaml) throws Exception {
    return new YamlReader().read(yaml.getBytes(StandardCharsets.UTF_8));
  }

  static void assertValid(CommitTree tip) throws Exception {
    var report = new FleetValidator(Clock.systemUTC()).validate(tip);
    assertThat(report.problems().stream().filter(p -> p.severity() == dev.flotilla.schema.Severity.ERROR))
        .isEmpty();
  }

  CommitTree originTip() throws Exception {
    return tip(rig.origin, "main");
  }

  CommitTree opsHead() throws Exception {
    return tip(rig.ops, "HEAD");
  }

  static CommitTree tip(Path repo, String rev) throws Exception {
    try (var git = Git.open(repo.toFile()); var walk = new RevWalk(git.getRepository())) {
      return CommitTree.of(git.getRepository(), walk.parseCommit(git.getRepository().resolve(rev)));
    }
  }

  static KeyPair p384() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    return generator.generateKeyPair();
  }

  /** A pending claim of token 'desk' that asks for labels and a channel the token does not grant. */
  static PendingClaim pending(String device, java.security.PublicKey key, String fact) {
    var pem = Keys.publicPem(key);
    var id = "c" + Keys.keyId(key).substring(0, 20);
    return new PendingClaim(id, "acme-retail", device, "desk", "dev", Map.of("role", "pos", "store", "x"),
        IdentityReader.hash(ClaimRig.machineId()), pem, fact, fact, fact, null, Instant.now());
  }

  /** {@code GET /v1/claims/{id}} signed with {@code keys} as device {@code id}, as a waiting agent polls. */
  java.net.http.HttpResponse<String> poll(String id, KeyPair keys) throws Exception {
    var http = java.net.http.HttpClient.newBuilder().sslContext(dev.flotilla.trust.PinnedCa.sslContext(
        rig.server.serverCertificate())).build();
    var path = "/v1/claims/" + id;
    var request = java.net.http.HttpRequest.newBuilder(rig.url().resolve(path)).GET();
    dev.flotilla.auth.RequestSignature.sign(keys.getPrivate(), id, "GET", path, new byte[0], Instant.now())
        .forEach(request::header);
    return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  void putOnClaimsBranch(PendingClaim... claims) throws Exception {
    try (var git = Git.open(rig.origin.toFile())) {
      var commits = new FleetCommits(git.getRepository(), CheckoutOptions.FALLBACK);
      var ref = "refs/heads/" + PendingClaim.BRANCH;
      var tip = git.getRepository().resolve(ref);
      var changes = new ArrayList<FileChange>();
      for (var claim : claims) {
        changes.add(FileChange.put(PendingClaim.pendingPath(claim.id()), claim.toYaml()));
      }
      commits.updateRef(ref, tip, commits.commit(tip, changes, "claims: written by hand"));
    }
  }
}
