package dev.flotilla.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a running reconciler knows of one device beyond the repo ({@code GET /v1/devices}): the bundle version it
 * publishes, the version the device last reported, when that report arrived, its Ready condition and how many of its
 * resources comply, and its first failing resource ({@code kind name: message}). Fields are null when the reconciler
 * has no such fact.
 */
public record LiveStatus(Long publishedVersion, Long reportedVersion, Instant lastSeen, String ready, String readyReason,
    Integer compliant, Integer resources, String failing) {

  /** Every device the reconciler {@code client} asks lists, by name. */
  public static Map<String, LiveStatus> fetch(ReconcilerClient client) throws IOException {
    var result = new HashMap<String, LiveStatus>();
    for (var row : client.get("/v1/devices", "list devices")) {
      result.put(row.path("name").asText(), of(row));
    }
    return result;
  }

  private static LiveStatus of(JsonNode row) {
    return new LiveStatus(row.hasNonNull("publishedVersion") ? row.get("publishedVersion").asLong() : null,
        row.hasNonNull("reportedVersion") ? row.get("reportedVersion").asLong() : null,
        row.hasNonNull("receivedAt") ? Instant.parse(row.get("receivedAt").asText()) : null,
        row.path("ready").path("status").asText(null), row.path("ready").path("reason").asText(null),
        row.hasNonNull("resources") ? row.get("compliant").asInt() : null,
        row.hasNonNull("resources") ? row.get("resources").asInt() : null, failing(row.path("failing")));
  }

  private static String failing(JsonNode failing) {
    if (failing.isMissingNode()) {
      return null;
    }
    var message = failing.path("message").asText("");
    return failing.path("kind").asText() + " " + failing.path("name").asText()
        + (message.isEmpty() ? "" : ": " + message);
  }

  /** The VERSION column: the reported version, with the published one after an arrow while they differ. */
  public String version() {
    if (reportedVersion == null) {
      return publishedVersion == null ? "-" : "?->" + publishedVersion;
    }
    return publishedVersion == null || publishedVersion.equals(reportedVersion) ? reportedVersion.toString()
        : reportedVersion + "->" + publishedVersion;
  }

  /** The LAST SEEN column: how long ago the last report arrived, e.g. {@code 12s ago}. */
  public String lastSeen(Instant now) {
    return lastSeen == null ? "-" : ago(lastSeen, now);
  }

  /** How long before {@code now} {@code at} was, e.g. {@code 12s ago}, {@code 3h ago}. */
  public static String ago(Instant at, Instant now) {
    var seconds = Math.max(0, Duration.between(at, now).toSeconds());
    return seconds < 120 ? seconds + "s ago" : seconds < 7200 ? seconds / 60 + "m ago"
        : seconds < 172800 ? seconds / 3600 + "h ago" : seconds / 86400 + "d ago";
  }

  /** The COMPLIANT column: the Ready reason while not ready, else compliant/total resources. */
  public String compliance() {
    if (ready != null && !"True".equals(ready)) {
      return readyReason == null ? "NotReady" : readyReason;
    }
    if (resources != null && resources > 0) {
      return compliant + "/" + resources;
    }
    return ready == null ? "-" : "Ready";
  }
}
