package dev.flotilla.agent.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptSenderTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** A server that accepts every receipt but the one whose text is {@code refuse}, and answers for all of them. */
  static byte[] answer(byte[] report, String refuse) throws java.io.IOException {
    var answer = JSON.createObjectNode();
    var receipts = answer.putObject("receipts");
    for (var text : JSON.readTree(report).path("receipts")) {
      var digest = Digest.sha256(text.asText().getBytes(StandardCharsets.UTF_8)).toString();
      if (text.asText().equals(refuse)) {
        receipts.withArray("refused").addObject().put("digest", digest).put("reason", "replayed");
      } else {
        receipts.withArray("accepted").add(digest);
      }
    }
    return JSON.writeValueAsBytes(answer);
  }

  private ReceiptQueue queue(int receipts) throws Exception {
    var queue = ReceiptQueue.open(dir, 1000, 1 << 20);
    for (int i = 0; i < receipts; i++) {
      queue.add(queue.nextSequence(Instant.EPOCH), ("{\"r\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }
    return queue;
  }

  @Test
  void sendsEveryQueuedReceiptInReportsOfSixteenAndDropsWhatTheServerAnswered() throws Exception {
    var queue = queue(40);
    var sent = new ArrayList<Integer>();
    var log = new ArrayList<String>();

    new ReceiptSender(queue, log::add).send("{\"device\":\"kiosk-1\"}".getBytes(), report -> {
      sent.add(JSON.readTree(report).path("receipts").size());
      assertThat(JSON.readTree(report).path("device").asText()).isEqualTo("kiosk-1");
      return answer(report, "{\"r\":3}");
    });

    assertThat(sent).containsExactly(16, 16, 8);
    assertThat(queue.size()).isZero();
    assertThat(log).singleElement().asString().endsWith("refused by the server: replayed; dropped");
  }

  @Test
  void keepsWhatTheServerDidNotAnswerForAndStops() throws Exception {
    var queue = queue(20);
    var reports = new ArrayList<byte[]>();

    new ReceiptSender(queue, line -> { }).send("{}".getBytes(), report -> {
      reports.add(report);
      return new byte[0]; // an older reconciler: 204, no answer
    });

    assertThat(reports).hasSize(1);
    assertThat(queue.size()).isEqualTo(20);
  }

  @Test
  void anEmptyQueueSendsThePlainReport() throws Exception {
    var reports = new ArrayList<String>();

    new ReceiptSender(queue(0), line -> { }).send("{\"a\":1}".getBytes(), report -> {
      reports.add(new String(report, StandardCharsets.UTF_8));
      return new byte[0];
    });

    assertThat(reports).isEqualTo(List.of("{\"a\":1}"));
  }
}
