package dev.flotilla.agent.receipt;

import dev.flotilla.digest.Digest;
import dev.flotilla.io.Failures;
import dev.flotilla.io.Leftovers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Signed receipts kept on disk until the reconciler answers for them: one file per receipt, {@code
 * <sequence>.json} (20 digits, so names sort by sequence), written beside and renamed, in a directory of the state
 * dir. Bounded by count and bytes: the oldest are dropped, and counted, to make room. The last sequence and the
 * drop count are kept in {@code queue.state}, so sequences only grow across restarts even once the queue is empty.
 * Temp files a crash left are removed when it opens. Not thread-safe: the agent's loop owns it.
 */
public final class ReceiptQueue {
  /** A queued receipt: its sequence, file and exact bytes, and their sha256 (its id in the server's answer). */
  public record Queued(long sequence, Path file, byte[] bytes, Digest digest) {}

  private static final Pattern RECEIPT = Pattern.compile("[0-9]{20}\\.json");
  private static final Pattern TEMP = Pattern.compile("\\.receipt-[0-9]+\\.tmp");
  private static final String STATE = "queue.state";

  private final Path dir;
  private final int maxReceipts;
  private final long maxBytes;
  /** Queued files by sequence, with their sizes. */
  private final TreeMap<Long, Long> sizes = new TreeMap<>();
  private long lastSequence;
  private long dropped;

  private ReceiptQueue(Path dir, int maxReceipts, long maxBytes) {
    this.dir = dir;
    this.maxReceipts = maxReceipts;
    this.maxBytes = maxBytes;
  }

  /**
   * Opens (creating, mode 0700) the queue in {@code dir}, removing temp files an interrupted write left.
   *
   * @throws IOException naming the directory or file that cannot be read or made
   */
  public static ReceiptQueue open(Path dir, int maxReceipts, long maxBytes) throws IOException {
    var queue = new ReceiptQueue(dir, maxReceipts, maxBytes);
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Leftovers.remove(dir, TEMP);
      queue.load();
    } catch (IOException e) {
      throw new IOException("open receipt queue '" + dir + "': " + Failures.describe(e), e);
    }
    return queue;
  }

  private void load() throws IOException {
    var state = dir.resolve(STATE);
    if (Files.exists(state)) {
      for (var line : Files.readAllLines(state, StandardCharsets.UTF_8)) {
        var parts = line.split("=", 2);
        if (parts.length == 2 && parts[1].strip().matches("[0-9]{1,19}")) {
          var value = Long.parseLong(parts[1].strip());
          switch (parts[0]) {
            case "sequence" -> lastSequence = value;
            case "dropped" -> dropped = value;
            default -> { } // a newer agent's field
          }
        }
      }
    }
    try (var files = Files.newDirectoryStream(dir, f -> RECEIPT.matcher(f.getFileName().toString()).matches())) {
      for (var file : files) {
        sizes.put(sequenceOf(file), Files.size(file));
      }
    }
    if (!sizes.isEmpty()) {
      lastSequence = Math.max(lastSequence, sizes.lastKey());
    }
  }

  /** The next receipt's sequence: above every one before, and never below {@code now} in epoch milliseconds. */
  public long nextSequence(Instant now) {
    return Math.max(lastSequence + 1, now.toEpochMilli());
  }

  /**
   * Keeps {@code signed}, the receipt of {@code sequence} (from {@link #nextSequence}), then drops the oldest while
   * the queue is over its bounds.
   */
  public void add(long sequence, byte[] signed) throws IOException {
    if (sequence <= lastSequence) {
      throw new IllegalArgumentException("sequence " + sequence + " is not above " + lastSequence);
    }
    var file = dir.resolve(String.format("%020d.json", sequence));
    write(file, signed);
    lastSequence = sequence;
    sizes.put(sequence, (long) signed.length);
    while (sizes.size() > maxReceipts || bytes() > maxBytes) {
      Files.deleteIfExists(dir.resolve(String.format("%020d.json", sizes.pollFirstEntry().getKey())));
      dropped++;
    }
    writeState();
  }

  /** The oldest receipts, at most {@code count} of them and {@code budget} bytes in all (at least one). */
  public List<Queued> oldest(int count, long budget) throws IOException {
    var out = new ArrayList<Queued>();
    long total = 0;
    for (var entry : sizes.entrySet()) {
      if (out.size() == count || !out.isEmpty() && total + entry.getValue() > budget) {
        break;
      }
      var file = dir.resolve(String.format("%020d.json", entry.getKey()));
      var bytes = Files.readAllBytes(file);
      total += bytes.length;
      out.add(new Queued(entry.getKey(), file, bytes, Digest.sha256(bytes)));
    }
    return out;
  }

  /** Removes those of {@code sent} whose digest the server answered for; the others stay for the next report. */
  public void remove(List<Queued> sent, Set<String> answered) throws IOException {
    for (var queued : sent) {
      if (answered.contains(queued.digest().toString())) {
        Files.deleteIfExists(queued.file());
        sizes.remove(queued.sequence());
      }
    }
  }

  /** How many receipts wait. */
  public int size() {
    return sizes.size();
  }

  /** How many receipts were dropped unsent to keep the queue in its bounds, ever (kept across restarts). */
  public long dropped() {
    return dropped;
  }

  private long bytes() {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }

  private void writeState() throws IOException {
    write(dir.resolve(STATE), ("sequence=" + lastSequence + "\ndropped=" + dropped + "\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Writes beside and renames, so a crash leaves the old file or the new one, never half of one. */
  private void write(Path file, byte[] bytes) throws IOException {
    var temp = Files.createTempFile(dir, ".receipt-", ".tmp");
    try {
      try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(bytes));
        channel.force(true); // a receipt must outlive a power cut, not only a restart
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw new IOException("write receipt file '" + file + "': " + Failures.describe(e), e);
    }
  }

  private static long sequenceOf(Path file) {
    var name = file.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - ".json".length()));
  }
}
