package dev.flotilla.agent.claim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.auth.RequestSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;

/**
 * The device's side of the claim endpoints: send a claim signed with the new key, poll it, fetch the trust roots.
 * Errors are IOExceptions with the server's one-line reason; the token is never part of a message.
 */
public final class ClaimClient {
  /** A claim's state as the server says it. */
  public record State(String state, String id, String device, String tenant, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI server;
  private final HttpClient http;
  private final PrivateKey key;
  private final Clock clock;

  public ClaimClient(URI server, Path serverCa, PrivateKey key, Clock clock) throws IOException {
    this.server = server;
    this.key = key;
    this.clock = clock;
    var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (serverCa != null) {
      builder.sslContext(BundleClient.trusting(serverCa));
    }
    this.http = builder.build();
  }

  public State submit(byte[] claimJson) throws IOException, InterruptedException {
    var path = "/v1/claims";
    var request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(claimJson));
    RequestSignature.sign(key, "claim", "POST", path, claimJson, clock.instant()).forEach(request::header);
    return state("send claim", send(request.build()));
  }

  public State poll(String id) throws IOException, InterruptedException {
    var path = "/v1/claims/" + id;
    var request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    RequestSignature.sign(key, id, "GET", path, new byte[0], clock.instant()).forEach(request::header);
    return state("poll claim " + id, send(request.build()));
  }

  /** Every trust root version the server serves, oldest first. */
  public JsonNode roots() throws IOException, InterruptedException {
    var response = send(HttpRequest.newBuilder(server.resolve("/v1/trust/roots")).timeout(Duration.ofSeconds(30))
        .GET().build());
    if (response.statusCode() != 200) {
      throw new IOException("fetch trust roots: server answered " + response.statusCode() + " " + text(response));
    }
    return JSON.readTree(response.body());
  }

  private static State state(String action, HttpResponse<byte[]> response) throws IOException {
    if (response.statusCode() >= 300) {
      throw new IOException(action + ": server answered " + response.statusCode() + " " + text(response));
    }
    var node = JSON.readTree(response.body());
    return new State(node.path("state").asText(), node.path("id").asText(null), node.path("device").asText(null),
        node.path("tenant").asText(null), node.path("message").asText(""));
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IOException("reach '" + server + "': " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()), e);
    }
  }

  private static String text(HttpResponse<byte[]> response) {
    var body = new String(response.body(), StandardCharsets.UTF_8).strip();
    return body.length() > 500 ? body.substring(0, 500) : body;
  }
}
