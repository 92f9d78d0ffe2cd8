package dev.flotilla.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.digest.Digest;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.receipt.ReceiptException;
import dev.flotilla.receipt.ReceiptRefusal;
import dev.flotilla.receipt.SignedReceipt;
import dev.flotilla.receipt.VerifiedReceipt;
import dev.flotilla.reconcile.Served;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Takes the receipts a device's status report carries. Each is checked, in this order, and refused at the first
 * failure: within {@link dev.flotilla.receipt.ReceiptFormat#MAX_BYTES} (before parsing) → a signed receipt → its
 * device is in the commit being served (else {@code removed-device}) → signed by that device's key in it → its
 * content names that device → it is the sending device's → its sequence is above the device's high-water mark (else
 * {@code replayed}). An accepted receipt is recorded in the {@link History} as a {@link EventKind#RECEIPT} event;
 * a refused one is counted by reason ({@code flotilla_reconciler_receipts_refused_total}) and logged, never
 * recorded. The high-water mark of a device is read from the history the first time one of its receipts comes,
 * then kept. Thread-safe.
 */
public final class ReceiptDesk {
  private static final System.Logger LOG = System.getLogger("flotilla.api");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What became of one receipt: accepted, or refused with why. */
  public sealed interface Taken permits Accepted, Refused {
    Digest digest();
  }

  public record Accepted(Digest digest, VerifiedReceipt receipt) implements Taken {}

  public record Refused(Digest digest, ReceiptRefusal reason, String message) implements Taken {}

  private final Supplier<Served> served;
  private final History history;
  private final Clock clock;
  private final Counter accepted;
  private final Counter refused;
  /** The last sequence accepted per device; guarded by this. */
  private final Map<String, Long> highWater = new HashMap<>();

  public ReceiptDesk(Supplier<Served> served, History history, PrometheusRegistry registry, Clock clock) {
    this.served = served;
    this.history = history;
    this.clock = clock;
    this.accepted = Counter.builder().name("flotilla_reconciler_receipts_accepted_total")
        .help("Signed apply receipts accepted and recorded").register(registry);
    this.refused = Counter.builder().name("flotilla_reconciler_receipts_refused_total")
        .help("Signed apply receipts refused, by reason; never recorded").labelNames("reason").register(registry);
    for (var reason : ReceiptRefusal.values()) {
      refused.labelValues(reason.label()); // every reason is a series from the start, at 0
    }
  }

  /**
   * Answers for {@code receipts} (their exact texts) that {@code sender}'s report carried, in order: {@code
   * {"receipts":{"accepted":[digest…],"refused":[{"digest":…,"reason":…}…]}}}.
   */
  public ObjectNode take(String sender, List<String> receipts) {
    var answer = JSON.createObjectNode();
    var node = answer.putObject("receipts");
    var acceptedDigests = node.putArray("accepted");
    var refusedDigests = node.putArray("refused");
    for (var text : receipts) {
      switch (take(sender, text.getBytes(StandardCharsets.UTF_8))) {
        case Accepted a -> acceptedDigests.add(a.digest().toString());
        case Refused r -> refusedDigests.addObject().put("digest", r.digest().toString())
            .put("reason", r.reason().label());
      }
    }
    return answer;
  }

  /** Checks one receipt and records it when accepted; counts it either way. */
  public Taken take(String sender, byte[] raw) {
    var digest = Digest.sha256(raw);
    try {
      var receipt = verify(sender, raw);
      accepted.inc();
      return new Accepted(digest, receipt);
    } catch (ReceiptException e) {
      refused.labelValues(e.refusal().label()).inc();
      LOG.log(System.Logger.Level.INFO, "refuse receipt {0} from device ''{1}'': {2}", digest, sender,
          e.getMessage());
      return new Refused(digest, e.refusal(), e.getMessage());
    }
  }

  private VerifiedReceipt verify(String sender, byte[] raw) throws ReceiptException {
    var signed = SignedReceipt.read(raw);
    var device = signed.hint().device();
    var snapshot = served.get();
    var known = snapshot == null ? null : snapshot.devices().get(device);
    if (known == null) {
      throw new ReceiptException(ReceiptRefusal.REMOVED_DEVICE, "take receipt: device '" + device
          + "' is not in the commit being served");
    }
    var receipt = signed.verify(known.key());
    if (!device.equals(sender)) {
      throw new ReceiptException(ReceiptRefusal.WRONG_DEVICE, "take receipt: it is device '" + device
          + "''s, sent by device '" + sender + "'");
    }
    record(known.tenant(), receipt);
    return receipt;
  }

  /** Records {@code receipt} unless its sequence is not above the device's high-water mark. */
  private synchronized void record(String tenant, VerifiedReceipt receipt) throws ReceiptException {
    var device = receipt.receipt().getDevice();
    long sequence = receipt.receipt().getSequence();
    long mark = highWater.computeIfAbsent(device, this::recordedMark);
    if (sequence <= mark) {
      throw new ReceiptException(ReceiptRefusal.REPLAYED, "take receipt: sequence " + sequence
          + " is not above " + mark + ", the last accepted from device '" + device + "'");
    }
    highWater.put(device, sequence);
    history.record(new HistoryEvent(clock.instant(), tenant, device, EventKind.RECEIPT,
        receipt.receipt().getFleetCommit(), ReceiptEvents.detail(receipt)));
  }

  /** The sequence of the device's newest receipt in the history, 0 when it has none. */
  private long recordedMark(String device) {
    var events = history.query(new HistoryQuery(null, device, Set.of(EventKind.RECEIPT), null, null, 1));
    return events.isEmpty() ? 0 : events.getFirst().detail().path("sequence").asLong(0);
  }
}
