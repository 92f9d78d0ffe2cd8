package dev.flotilla.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.Revision;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.history.RecentHistory;
import dev.flotilla.model.Receipt;
import dev.flotilla.receipt.ReceiptFormat;
import dev.flotilla.receipt.ReceiptRefusal;
import dev.flotilla.receipt.ReceiptSigner;
import dev.flotilla.reconcile.Served;
import dev.flotilla.trust.Keys;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptDeskTest {
  static final String COMMIT = "3f8495b2c1aa3f8495b2c1aa3f8495b2c1aa3f84";
  static final KeyPair KIOSK_A = Keys.generate();
  static final KeyPair KIOSK_B = Keys.generate();
  static final Served SERVED = new Served(new Revision(COMMIT, Instant.EPOCH, "fleet"),
      Map.of("kiosk-a", new Served.DeviceKey("acme", KIOSK_A.getPublic()),
          "kiosk-b", new Served.DeviceKey("acme", KIOSK_B.getPublic())), null, List.of(), Map.of());

  final RecentHistory history = new RecentHistory(100);
  final PrometheusRegistry registry = new PrometheusRegistry();
  final ReceiptDesk desk = new ReceiptDesk(() -> SERVED, history, registry,
      Clock.fixed(Instant.parse("2026-12-07T10:00:05Z"), ZoneOffset.UTC));

  static Receipt receipt(String device, long sequence) {
    var receipt = new Receipt();
    receipt.setDevice(device);
    receipt.setIdentityHash("sha256:" + "ab".repeat(32));
    receipt.setSequence(sequence);
    receipt.setBundleVersion(7L);
    receipt.setFleetCommit(COMMIT);
    receipt.setOutcome("Applied");
    receipt.setAgentVersion("flotilla-agent test");
    receipt.setAt(OffsetDateTime.parse("2026-12-07T10:00:00Z"));
    return receipt;
  }

  static byte[] signed(String device, long sequence, KeyPair key) {
    return ReceiptSigner.sign(receipt(device, sequence), key.getPrivate());
  }

  private ReceiptRefusal refusal(ReceiptDesk.Taken taken) {
    assertThat(taken).isInstanceOf(ReceiptDesk.Refused.class);
    return ((ReceiptDesk.Refused) taken).reason();
  }

  private double refused(String reason) {
    return registry.scrape().stream().filter(s -> s.getMetadata().getName()
            .equals("flotilla_reconciler_receipts_refused")).map(CounterSnapshot.class::cast)
        .flatMap(s -> s.getDataPoints().stream()).filter(d -> d.getLabels().get("reason").equals(reason))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  @Test
  void acceptsAndRecordsTheSendersOwnReceipt() {
    var raw = signed("kiosk-a", 10, KIOSK_A);

    var taken = desk.take("kiosk-a", raw);

    assertThat(taken).isInstanceOf(ReceiptDesk.Accepted.class);
    var events = history.query(HistoryQuery.ofDevice("kiosk-a", 10));
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.kind()).isEqualTo(EventKind.RECEIPT);
      assertThat(event.tenant()).isEqualTo("acme");
      assertThat(event.commit()).isEqualTo(COMMIT);
      assertThat(event.detail().path("sequence").asLong()).isEqualTo(10);
      assertThat(event.detail().path("outcome").asText()).isEqualTo("Applied");
      assertThat(event.detail().path("envelope").path("dsseEnvelope").path("payloadType").asText())
          .isEqualTo(ReceiptFormat.PAYLOAD_TYPE);
    });
  }

  @Test
  void refusesBadSignatureOtherDeviceReplayOversizeAndRemovedDeviceAndRecordsNone() {
    desk.take("kiosk-a", signed("kiosk-a", 10, KIOSK_A));
    var oversized = new String(signed("kiosk-a", 11, KIOSK_A), StandardCharsets.UTF_8)
        .replace("\"mediaType\"", " ".repeat(ReceiptFormat.MAX_BYTES) + "\"mediaType\"");

    assertThat(refusal(desk.take("kiosk-a", signed("kiosk-a", 12, KIOSK_B)))).isEqualTo(ReceiptRefusal.BAD_SIGNATURE);
    assertThat(refusal(desk.take("kiosk-a", signed("kiosk-b", 12, KIOSK_B)))).isEqualTo(ReceiptRefusal.WRONG_DEVICE);
    assertThat(refusal(desk.take("kiosk-a", signed("kiosk-a", 10, KIOSK_A)))).isEqualTo(ReceiptRefusal.REPLAYED);
    assertThat(refusal(desk.take("kiosk-a", signed("kiosk-a", 9, KIOSK_A)))).isEqualTo(ReceiptRefusal.REPLAYED);
    assertThat(refusal(desk.take("kiosk-a", oversized.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(ReceiptRefusal.OVERSIZED);
    assertThat(refusal(desk.take("kiosk-a", signed("kiosk-gone", 12, Keys.generate()))))
        .isEqualTo(ReceiptRefusal.REMOVED_DEVICE);

    assertThat(history.query(HistoryQuery.ofDevice(null, 100))).hasSize(1);
    assertThat(refused("bad-signature")).isEqualTo(1);
    assertThat(refused("wrong-device")).isEqualTo(1);
    assertThat(refused("replayed")).isEqualTo(2);
    assertThat(refused("oversized")).isEqualTo(1);
    assertThat(refused("removed-device")).isEqualTo(1);
    assertThat(refused("malformed")).isZero();
  }

  @Test
  void theHighWaterMarkStartsFromTheHistory() {
    desk.take("kiosk-a", signed("kiosk-a", 10, KIOSK_A));
    var restarted = new ReceiptDesk(() -> SERVED, history, new PrometheusRegistry(), Clock.systemUTC());

    assertThat(refusal(restarted.take("kiosk-a", signed("kiosk-a", 10, KIOSK_A)))).isEqualTo(ReceiptRefusal.REPLAYED);
    assertThat(restarted.take("kiosk-a", signed("kiosk-a", 11, KIOSK_A))).isInstanceOf(ReceiptDesk.Accepted.class);
  }

  @Test
  void answersForEveryReceiptByDigest() {
    var good = signed("kiosk-a", 10, KIOSK_A);
    var bad = signed("kiosk-a", 11, KIOSK_B);

    var answer = desk.take("kiosk-a", List.of(new String(good, StandardCharsets.UTF_8),
        new String(bad, StandardCharsets.UTF_8)));

    assertThat(answer.toString()).isEqualTo("{\"receipts\":{\"accepted\":[\""
        + dev.flotilla.digest.Digest.sha256(good) + "\"],\"refused\":[{\"digest\":\""
        + dev.flotilla.digest.Digest.sha256(bad) + "\",\"reason\":\"bad-signature\"}]}}");
  }
}
