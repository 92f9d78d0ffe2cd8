package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.fleet.DeviceFiles;
import dev.flotilla.model.Receipt;
import dev.flotilla.receipt.ReceiptSigner;
import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla receipts verify} against a real Git fleet repo (JGit, temp dir) in which device kiosk-1's key is
 * rotated between two commits: each receipt is checked with the key of the commit it names.
 */
class ReceiptsVerifyIT {
  static final String HASH = "sha256:" + "ab".repeat(32);
  static final String DEVICE = """
      apiVersion: flotilla.dev/v1
      kind: Device
      metadata:
        name: kiosk-1
        tenant: acme
      spec:
        identity:
          hash: %s
      """.formatted(HASH);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path repo;
  @TempDir
  Path receipts;
  final KeyPair first = Keys.generate();
  final KeyPair second = Keys.generate();
  String before;
  String after;

  @BeforeEach
  void rotateAKeyBetweenTwoCommits() throws Exception {
    var file = repo.resolve("tenants/acme/devices/kiosk-1.yaml");
    Files.createDirectories(file.getParent());
    try (var git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.writeString(file, DeviceFiles.withPublicKey(DEVICE, Keys.publicPem(first.getPublic())));
      before = commit(git, "Enrol kiosk-1");
      Files.writeString(file, DeviceFiles.withPublicKey(DEVICE, Keys.publicPem(second.getPublic())));
      after = commit(git, "Rotate kiosk-1's key");
    }
  }

  private static String commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
        .call().getName();
  }

  private Path signed(String name, String commit, long sequence, KeyPair key) throws Exception {
    var receipt = new Receipt();
    receipt.setDevice("kiosk-1");
    receipt.setIdentityHash(HASH);
    receipt.setSequence(sequence);
    receipt.setFleetCommit(commit);
    receipt.setOutcome("Applied");
    receipt.setAgentVersion("flotilla-agent test");
    receipt.setAt(OffsetDateTime.parse("2026-12-07T10:00:00Z"));
    return Files.write(receipts.resolve(name), ReceiptSigner.sign(receipt, key.getPrivate()));
  }

  @Test
  void verifiesEachReceiptWithTheKeyOfItsCommit() throws Exception {
    signed("1-before.json", before, 1, first);
    signed("2-after.json", after, 2, second);

    var run = Run.flotilla("receipts", "verify", "--repo", repo.toString(), receipts.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "ok       " + receipts.resolve("1-before.json") + ": device kiosk-1, sequence 1, Applied at "
            + "2026-12-07T10:00Z, commit " + before.substring(0, 12),
        "ok       " + receipts.resolve("2-after.json") + ": device kiosk-1, sequence 2, Applied at "
            + "2026-12-07T10:00Z, commit " + after.substring(0, 12));
  }

  @Test
  void refusesTheOldKeyAfterTheRotationAndAnUnknownCommitWithExitThree() throws Exception {
    var stale = signed("stale.json", after, 3, first);
    var unknown = signed("unknown.json", "0".repeat(40), 4, second);

    var run = Run.flotilla("receipts", "verify", "--repo", repo.toString(), stale.toString(), unknown.toString(),
        "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    var results = JSON.readTree(run.out());
    assertThat(results.findValuesAsText("reason")).containsExactly("bad-signature", "unknown-commit");
    assertThat(results.get(0).path("message").asText()).contains("not signed by the key of device 'kiosk-1' at "
        + "commit " + after);
    assertThat(results.get(0).path("ok").asBoolean()).isFalse();
  }

  @Test
  void readsReceiptsFromHistoryJsonLinesAndReportsAHandEditedOne() throws Exception {
    var good = JSON.readTree(Files.readAllBytes(signed("good.json", after, 5, second)));
    var edited = good.deepCopy();
    var payload = new String(Base64.getDecoder().decode(good.path("dsseEnvelope").path("payload").asText()),
        StandardCharsets.UTF_8).replace("Applied", "ApplyFailed");
    ((com.fasterxml.jackson.databind.node.ObjectNode) edited.path("dsseEnvelope")).put("payload",
        Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)));
    var history = receipts.resolve("2026-12-07.jsonl");
    Files.writeString(history, String.join("\n",
        line("receipt", good), line("offline", JSON.createObjectNode()), line("receipt", edited), "{not json"));
    Files.delete(receipts.resolve("good.json"));

    var run = Run.flotilla("receipts", "verify", "--repo", repo.toString(), history.toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out().lines()).satisfiesExactly(
        ok -> assertThat(ok).startsWith("ok       " + history + ":1: device kiosk-1, sequence 5"),
        edit -> assertThat(edit).startsWith("refused  " + history + ":3: bad-signature: "),
        garbage -> assertThat(garbage).startsWith("refused  " + history + ":4: malformed: "));
  }

  @Test
  void aMissingFileIsAFailureNamingIt() {
    var run = Run.flotilla("receipts", "verify", "--repo", repo.toString(), "no-such.json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("flotilla: verify receipts: no file or directory 'no-such.json'\n");
  }

  private static String line(String kind, com.fasterxml.jackson.databind.JsonNode envelope) throws Exception {
    var event = JSON.createObjectNode().put("at", "2026-12-07T10:00:05Z").put("device", "kiosk-1")
        .put("kind", kind);
    event.putObject("detail").set("envelope", envelope);
    return JSON.writeValueAsString(event);
  }
}
