package dev.flotilla.agent.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.HostSummary;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Decides what host summary a status report carries, so telemetry costs the reconciler little: nothing more often
 * than {@link #EVERY}; then only the fields whose rounded value changed since the summary last sent; everything
 * when nothing was sent yet, and once every {@link #FULL_EVERY} (a restarted reconciler learns the whole picture
 * again). A summary counts as sent only when {@link #sent} says so. Thread-safe.
 */
public final class HostReports {
  public static final Duration EVERY = Duration.ofMinutes(1);
  public static final Duration FULL_EVERY = Duration.ofHours(1);
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL).build();

  /** A summary to send: the changed fields ({@code changes}) and the whole rounded picture it completes. */
  public record Due(HostSummary changes, ObjectNode whole, Instant at, boolean full) {}

  private final HostReader reader;
  private final Consumer<String> log;
  private HostSample previous;
  private ObjectNode lastSent;
  private Instant lastSentAt;
  private Instant lastFullAt;

  public HostReports(HostReader reader, Consumer<String> log) {
    this.reader = reader;
    this.log = log;
  }

  /** The summary due at {@code now}, or null when none is (too soon, nothing changed, or the host unreadable). */
  public synchronized Due due(Instant now) {
    if (lastSentAt != null && now.isBefore(lastSentAt.plus(EVERY))) {
      return null;
    }
    HostSample sample;
    try {
      sample = reader.read();
    } catch (IOException e) {
      log.accept(e.getMessage());
      return null;
    }
    var whole = (ObjectNode) JSON.valueToTree(HostSummaries.of(sample, previous));
    previous = sample;
    var full = lastSent == null || lastFullAt == null || !now.isBefore(lastFullAt.plus(FULL_EVERY));
    var changes = full ? whole.deepCopy() : changed(lastSent, whole);
    return changes.isEmpty() ? null : new Due(summary(changes), whole, now, full);
  }

  /** The summary of these fields; the generated type starts with an empty list, which is not "unchanged". */
  private static HostSummary summary(ObjectNode fields) {
    var summary = JSON.convertValue(fields, HostSummary.class);
    if (!fields.has("filesystems")) {
      summary.setFilesystems(null);
    }
    return summary;
  }

  /** Records that {@code due} reached the reconciler: later summaries are measured against it. */
  public synchronized void sent(Due due) {
    lastSent = due.whole(); // what the reconciler holds now: the last picture with these changes applied
    lastSentAt = due.at();
    if (due.full()) {
      lastFullAt = due.at();
    }
  }

  /** The fields of {@code now} that differ from {@code before}; a field now absent is not sent (absent = unchanged). */
  static ObjectNode changed(ObjectNode before, ObjectNode now) {
    var out = JSON.createObjectNode();
    now.fields().forEachRemaining(field -> {
      if (!field.getValue().equals(before.get(field.getKey()))) {
        out.set(field.getKey(), field.getValue());
      }
    });
    return out;
  }
}
