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

/**
 * GETs from a running reconciler's operator API: the operator token from a file as a Bearer token, the server's
 * certificate pinned when given. An answer other than 200 is a {@link UserException} that names the action.
 */
public record ReconcilerClient(URI server, Path tokenFile, Path serverCa) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JSON that {@code GET pathAndQuery} answers; {@code action} says what for, in messages. */
  public JsonNode get(String pathAndQuery, String action) throws IOException {
    var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (serverCa != null) {
      builder.sslContext(PinnedCa.sslContext(serverCa));
    }
    var request = HttpRequest.newBuilder(server.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
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
      throw new UserException(ExitCodes.FAILURE, action + " from " + server + ": server answered "
          + response.statusCode() + " " + response.body().strip()
          + (response.statusCode() == 401 ? "; pass --token-file with the reconciler's operator token" : ""));
    }
    return JSON.readTree(response.body());
  }
}
