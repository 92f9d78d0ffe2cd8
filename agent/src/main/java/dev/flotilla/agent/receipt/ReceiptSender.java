package dev.flotilla.agent.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sends queued receipts with status reports: the oldest first, at most {@value #PER_REPORT} (and {@value
 * #BATCH_BYTES} bytes) in one report, in the report's {@code receipts} array, as their exact text. The server's
 * answer names each one accepted or refused; either way it is dropped (a refusal is final: a bad signature, a
 * replay or an oversized receipt stays so), and the ones it did not answer for stay for the next report. While
 * every receipt sent was answered and more wait, the report is sent again with the next ones, so a device back
 * after weeks offline empties its queue at once. Not thread-safe.
 */
public final class ReceiptSender {
  /** Sends one status report; returns the answer's body (empty for 204). */
  @FunctionalInterface
  public interface Report {
    byte[] send(byte[] statusJson) throws IOException, InterruptedException;
  }

  static final int PER_REPORT = 16;
  static final int BATCH_BYTES = 512 << 10;
  /** At most this many reports in a row: 1,000 receipts at 16 a report. */
  static final int MAX_ROUNDS = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReceiptQueue queue;
  private final Consumer<String> log;

  /** @param log gets one line per receipt the server refused */
  public ReceiptSender(ReceiptQueue queue, Consumer<String> log) {
    this.queue = queue;
    this.log = log;
  }

  /** Sends {@code statusJson} with the queued receipts through {@code report}; errors propagate, nothing is lost. */
  public void send(byte[] statusJson, Report report) throws IOException, InterruptedException {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      var batch = queue.oldest(PER_REPORT, BATCH_BYTES);
      if (batch.isEmpty()) {
        if (round == 0) {
          report.send(statusJson);
        }
        return;
      }
      var status = (ObjectNode) JSON.readTree(statusJson);
      var receipts = status.putArray("receipts");
      batch.forEach(queued -> receipts.add(new String(queued.bytes(), StandardCharsets.UTF_8)));
      var answered = answered(report.send(JSON.writeValueAsBytes(status)));
      queue.remove(batch, answered);
      if (!batch.stream().allMatch(queued -> answered.contains(queued.digest().toString()))) {
        return;
      }
    }
  }

  /** The digests the answer accepts or refuses; a refusal is logged. */
  private Set<String> answered(byte[] answer) throws IOException {
    var digests = new HashSet<String>();
    if (answer.length == 0) {
      return digests;
    }
    var receipts = JSON.readTree(answer).path("receipts");
    receipts.path("accepted").forEach(digest -> digests.add(digest.asText()));
    for (JsonNode refused : receipts.path("refused")) {
      digests.add(refused.path("digest").asText());
      log.accept("receipt " + refused.path("digest").asText() + " refused by the server: "
          + refused.path("reason").asText() + "; dropped");
    }
    return digests;
  }
}
