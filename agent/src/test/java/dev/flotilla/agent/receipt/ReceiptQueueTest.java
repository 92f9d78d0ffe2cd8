package dev.flotilla.agent.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptQueueTest {
  static final Instant EARLY = Instant.ofEpochMilli(1);

  @TempDir
  Path dir;

  static byte[] bytes(int size, char fill) {
    return String.valueOf(fill).repeat(size).getBytes(StandardCharsets.US_ASCII);
  }

  private static void add(ReceiptQueue queue, int size, char fill) throws Exception {
    queue.add(queue.nextSequence(EARLY), bytes(size, fill));
  }

  @Test
  void dropsTheOldestOverItsCountAndCountsThem() throws Exception {
    var queue = ReceiptQueue.open(dir, 3, 1 << 20);
    for (var fill : "abcde".toCharArray()) {
      add(queue, 10, fill);
    }

    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.dropped()).isEqualTo(2);
    assertThat(queue.oldest(10, 1 << 20)).extracting(q -> (char) q.bytes()[0]).containsExactly('c', 'd', 'e');
  }

  @Test
  void dropsTheOldestOverItsBytes() throws Exception {
    var queue = ReceiptQueue.open(dir, 100, 25);
    add(queue, 10, 'a');
    add(queue, 10, 'b');
    add(queue, 10, 'c');

    assertThat(queue.oldest(10, 1 << 20)).extracting(q -> (char) q.bytes()[0]).containsExactly('b', 'c');
    assertThat(queue.dropped()).isEqualTo(1);
  }

  @Test
  void keepsReceiptsSequenceAndDropsAcrossARestart() throws Exception {
    var queue = ReceiptQueue.open(dir, 2, 1 << 20);
    add(queue, 10, 'a');
    add(queue, 10, 'b');
    add(queue, 10, 'c');
    var last = queue.oldest(10, 1 << 20).getLast().sequence();

    var reopened = ReceiptQueue.open(dir, 2, 1 << 20);

    assertThat(reopened.oldest(10, 1 << 20)).extracting(q -> (char) q.bytes()[0]).containsExactly('b', 'c');
    assertThat(reopened.dropped()).isEqualTo(1);
    assertThat(reopened.nextSequence(EARLY)).isEqualTo(last + 1);
  }

  @Test
  void sequencesKeepGrowingOnceEveryReceiptIsAcknowledged() throws Exception {
    var queue = ReceiptQueue.open(dir, 10, 1 << 20);
    add(queue, 10, 'a');
    var sent = queue.oldest(10, 1 << 20);
    queue.remove(sent, Set.of(sent.getFirst().digest().toString()));

    var reopened = ReceiptQueue.open(dir, 10, 1 << 20);

    assertThat(reopened.size()).isZero();
    assertThat(reopened.nextSequence(EARLY)).isEqualTo(sent.getFirst().sequence() + 1);
  }

  @Test
  void aSequenceIsNeverBelowTheTimeInMilliseconds() throws Exception {
    var queue = ReceiptQueue.open(dir, 10, 1 << 20);

    assertThat(queue.nextSequence(Instant.parse("2026-12-07T10:00:00Z"))).isEqualTo(1796637600000L);
  }

  @Test
  void removesOnlyTheReceiptsTheServerAnsweredFor() throws Exception {
    var queue = ReceiptQueue.open(dir, 10, 1 << 20);
    add(queue, 10, 'a');
    add(queue, 10, 'b');
    var sent = queue.oldest(10, 1 << 20);

    queue.remove(sent, Set.of(sent.get(1).digest().toString()));

    assertThat(queue.oldest(10, 1 << 20)).extracting(q -> (char) q.bytes()[0]).containsExactly('a');
    assertThat(Files.exists(sent.get(1).file())).isFalse();
  }

  @Test
  void oldestStopsAtItsCountAndByteBudgetButGivesAtLeastOne() throws Exception {
    var queue = ReceiptQueue.open(dir, 10, 1 << 20);
    add(queue, 100, 'a');
    add(queue, 10, 'b');
    add(queue, 10, 'c');

    assertThat(queue.oldest(2, 1 << 20)).hasSize(2);
    assertThat(queue.oldest(10, 50)).extracting(q -> (char) q.bytes()[0]).containsExactly('a');
  }

  @Test
  void removesTempFilesACrashLeftAndNothingElse() throws Exception {
    Files.writeString(dir.resolve(".receipt-123.tmp"), "half a receipt");
    Files.writeString(dir.resolve("notes.txt"), "someone's");

    ReceiptQueue.open(dir, 10, 1 << 20);

    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
        .containsExactly("notes.txt");
  }
}
