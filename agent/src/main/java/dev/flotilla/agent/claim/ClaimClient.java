package dev.flotilla.agent.claim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.bundle.HttpCall;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.trust.PinnedCa;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLSocketFactory;

/**
 * The device's side of the claim endpoints: send a claim signed with the new key, poll it, fetch the trust roots.
 * Errors are IOExceptions with the server's one-line reason; the token is never part of a message.
 */
public final class ClaimClient {
  /** A claim's state as the server says it. */
  public record State(String state, String id, String device, String tenant, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 16 << 20;
  private final URI server;
  private final SSLSocketFactory tls;
  private final PrivateKey key;
  private final Clock clock;

  public ClaimClient(URI server, Path serverCa, PrivateKey key, Clock clock) throws IOException {
    this.server = server;
    this.key = key;
    this.clock = clock;
    this.tls = serverCa == null ? null : PinnedCa.sslContext(serverCa).getSocketFactory();
  }

  public State submit(byte[] claimJson) throws IOException, InterruptedException {
    var path = "/v1/claims";
    var headers = new TreeMap<>(RequestSignature.sign(key, "claim", "POST", path, claimJson, clock.instant()));
    headers.put("Content-Type", "application/json");
    return state("send claim", send("POST", path, headers, claimJson, Duration.ofSeconds(60)));
  }

  public State poll(String id) throws IOException, InterruptedException {
    var path = "/v1/claims/" + id;
    var headers = RequestSignature.sign(key, id, "GET", path, new byte[0], clock.instant());
    return state("poll claim " + id, send("GET", path, headers, null, Duration.ofSeconds(30)));
  }

  /** Every trust root version the server serves, oldest first. */
  public JsonNode roots() throws IOException, InterruptedException {
    var response = send("GET", "/v1/trust/roots", Map.of(), null, Duration.ofSeconds(30));
    if (response.status() != 200) {
      throw new IOException("fetch trust roots: server answered " + response.status() + " " + text(response));
    }
    return JSON.readTree(response.read(MAX_BODY));
  }

  private static State state(String action, HttpCall response) throws IOException {
    if (response.status() >= 300) {
      throw new IOException(action + ": server answered " + response.status() + " " + text(response));
    }
    var node = JSON.readTree(response.read(MAX_BODY));
    return new State(node.path("state").asText(), node.path("id").asText(null), node.path("device").asText(null),
        node.path("tenant").asText(null), node.path("message").asText(""));
  }

  private HttpCall send(String method, String path, Map<String, String> headers, byte[] body, Duration timeout)
      throws IOException {
    try {
      return HttpCall.send(method, server.resolve(path), headers, body, timeout, tls);
    } catch (IOException e) {
      throw new IOException("reach '" + server + "': " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()), e);
    }
  }

  private static String text(HttpCall response) throws IOException {
    var body = new String(response.read(500), StandardCharsets.UTF_8).strip();
    return body;
  }
}
