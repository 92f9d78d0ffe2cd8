package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.cli.fleet.DeviceFiles;
import dev.flotilla.digest.Digest;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.model.Receipt;
import dev.flotilla.receipt.ReceiptFormat;
import dev.flotilla.receipt.ReceiptSigner;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.PinnedCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts end to end on loopback: a real reconciler over a real Git fleet repo, real agents applying files and
 * sysctl in sandboxes. An agent's applied pass makes a signed receipt that its status report carries; the
 * reconciler verifies it, records it in its history and acknowledges it, and the agent drops it from its queue.
 * Receipts that are badly signed, another device's, replayed, oversized or a removed device's are refused, counted
 * by reason and not recorded.
 */
class ReceiptsIT {
  static final String A = "kiosk-berlin-01-a";
  static final String B = "kiosk-berlin-01-b";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;
  LiveFleet fleet;

  @BeforeEach
  void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.enrol(List.of(A, B));
    fleet.commit("Enrol two devices");
    fleet.startReconciler(Duration.ofSeconds(1));
    fleet.startAgents(Duration.ofSeconds(1), (device, line) -> { });
    assertThat(fleet.awaitConverged(Duration.ofSeconds(30))).as("first bundles applied").isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  @Test
  void anAppliedPassIsReceiptedRecordedAcknowledgedAndDropped() throws Exception {
    var event = awaitReceipt(A);

    assertThat(event.detail().path("outcome").asText()).isEqualTo("Applied");
    assertThat(event.tenant()).isEqualTo("acme-retail");
    assertThat(event.commit()).isEqualTo(fleet.git.getRepository().resolve("HEAD").getName());
    assertThat(event.detail().path("envelope").path("dsseEnvelope").path("payloadType").asText())
        .isEqualTo(ReceiptFormat.PAYLOAD_TYPE);
    assertThat(awaitEmptyQueue(A)).as("acknowledged receipts leave the queue").isTrue();
    awaitReceipt(B);
    assertThat(counter("flotilla_reconciler_receipts_accepted_total", null)).as("one of each device at least")
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void refusesBadSignatureAnotherDevicesReplayedOversizedAndRemovedDevicesReceipts() throws Exception {
    var accepted = awaitReceipt(A);
    awaitReceipt(B);
    assertThat(awaitEmptyQueue(A)).isTrue();
    var commit = accepted.commit();
    var badSignature = receipt(A, commit, Keys.generate().getPrivate());
    var othersDevice = receipt(B, commit, key(B));
    var replayed = JSON.writeValueAsString(accepted.detail().path("envelope"));
    var oversized = receipt(A, commit, key(A)).replace("{\"mediaType\"", "{" + " ".repeat(ReceiptFormat.MAX_BYTES)
        + "\"mediaType\"");

    var answer = report(List.of(badSignature, othersDevice, replayed, oversized));
    Files.delete(DeviceFiles.find(fleet.repo, B));
    var removal = fleet.commit("Remove " + B);
    fleet.server.wakeUp();
    assertThat(fleet.awaitServing(removal, Duration.ofSeconds(30))).isTrue();
    var removed = receipt(B, commit, key(B));
    var removedAnswer = report(List.of(removed));

    assertThat(answer.path("receipts").path("accepted")).isEmpty();
    assertThat(answer.path("receipts").path("refused").findValuesAsText("reason"))
        .containsExactly("bad-signature", "wrong-device", "replayed", "oversized");
    assertThat(removedAnswer.path("receipts").path("refused").findValuesAsText("reason"))
        .containsExactly("removed-device");
    var refused = Stream.of(badSignature, othersDevice, oversized, removed)
        .map(text -> Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).toString()).toList();
    assertThat(receipts()).as("nothing refused is recorded").extracting(e -> e.detail().path("digest").asText())
        .doesNotContainAnyElementsOf(refused).doesNotHaveDuplicates();
    for (var reason : List.of("bad-signature", "wrong-device", "replayed", "oversized", "removed-device")) {
      assertThat(counter("flotilla_reconciler_receipts_refused_total", reason)).as(reason).isEqualTo(1);
    }
  }

  /** A receipt of {@code device} on {@code commit}, signed with {@code key}, as its text. */
  private static String receipt(String device, String commit, PrivateKey key) {
    var receipt = new Receipt();
    receipt.setDevice(device);
    receipt.setIdentityHash("sha256:" + "ab".repeat(32));
    receipt.setSequence(Instant.now().toEpochMilli() + 60_000);
    receipt.setFleetCommit(commit);
    receipt.setOutcome("Applied");
    receipt.setAgentVersion("flotilla-agent test");
    receipt.setAt(OffsetDateTime.now());
    return new String(ReceiptSigner.sign(receipt, key), StandardCharsets.UTF_8);
  }

  private PrivateKey key(String device) throws Exception {
    return Keys.readPrivate(work.resolve("devices").resolve(device).resolve("device.pem"));
  }

  /** POSTs a status report of device A carrying {@code receipts}, signed as A; the answer must be 200. */
  private JsonNode report(List<String> receipts) throws Exception {
    var status = JSON.createObjectNode().put("device", A).put("observedAt", Instant.now().toString());
    status.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("reason", "Applied");
    var array = status.putArray("receipts");
    receipts.forEach(array::add);
    var body = JSON.writeValueAsBytes(status);
    var path = "/v1/devices/" + A + "/status";
    var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + fleet.server.address().getPort() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    RequestSignature.sign(key(A), A, "POST", path, body, Instant.now()).forEach(request::header);
    try (var http = HttpClient.newBuilder().sslContext(PinnedCa.sslContext(fleet.server.serverCertificate())).build()) {
      var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    }
  }

  private List<HistoryEvent> receipts() {
    return fleet.server.history().query(new HistoryQuery(null, null, Set.of(EventKind.RECEIPT), null, null, 1000));
  }

  private HistoryEvent awaitReceipt(String device) throws InterruptedException {
    var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var found = receipts().stream().filter(e -> e.device().equals(device)).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no receipt of " + device + " recorded in 30 s");
  }

  private boolean awaitEmptyQueue(String device) throws Exception {
    var queue = work.resolve("devices").resolve(device).resolve("state").resolve("receipts");
    var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (var files = Files.list(queue)) {
        if (files.noneMatch(f -> f.getFileName().toString().endsWith(".json"))) {
          return true;
        }
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** A counter's value from the reconciler's /metrics; {@code reason} null for an unlabelled one. */
  private double counter(String name, String reason) throws Exception {
    var url = URI.create("http://127.0.0.1:" + fleet.server.metricsAddress().getPort() + "/metrics");
    try (var http = HttpClient.newHttpClient()) {
      var text = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();
      var prefix = reason == null ? name + " " : name + "{reason=\"" + reason + "\"} ";
      return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(
          l.substring(prefix.length()).strip())).findFirst().orElse(-1);
    }
  }
}
