package dev.flotilla.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.cli.console.UserException;
import dev.flotilla.trust.PinnedCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a running reconciler knows of one device beyond the repo ({@code GET /v1/devices}): the bundle version it
 * publishes, the version the device last reported, when that report arrived, its Ready condition and how many of its
 * resources comply. Fields are null when the reconciler has no such fact.
 */
public record LiveStatus(Long publishedVersion, Long reportedVersion, Instant lastSeen, String ready, String readyReason,
    Integer compliant, Integer resources) {

  /** Every device the reconciler at {@code server} lists, by name; pins {@code serverCa} when given. */
  public static Map<String, LiveStatus> fetch(URI server, Path tokenFile, Path serverCa) throws IOException {
    var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (serverCa != null) {
      builder.sslContext(PinnedCa.sslContext(serverCa));
    }
    var request = HttpRequest.newBuilder(server.resolve("/v1/devices")).timeout(Duration.ofSeconds(30)).GET();
    if (tokenFile != null) {
      request.header("Authorization", "Bearer " + Files.readString(tokenFile).strip());
    }
    HttpResponse<String> response;
    try (var http = builder.build()) {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new UserException(ExitCodes.FAILURE, "list devices from " + server + ": server answered "
          + response.statusCode() + " " + response.body().strip()
          + (response.statusCode() == 401 ? "; pass --token-file with the reconciler's hook token" : ""));
    }
    var result = new HashMap<String, LiveStatus>();
    for (var row : new ObjectMapper().readTree(response.body())) {
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
        row.hasNonNull("resources") ? row.get("resources").asInt() : null);
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
    if (lastSeen == null) {
      return "-";
    }
    var seconds = Math.max(0, Duration.between(lastSeen, now).toSeconds());
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
