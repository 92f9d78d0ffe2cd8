package dev.flotilla.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.trust.Keys;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Artifact downloads: signed like every API request on the agent's own server, plain elsewhere (loopback only). */
class BundleClientArtifactIT {
  private final java.security.KeyPair key = Keys.generate();
  private HttpServer own;
  private HttpServer other;

  @BeforeEach
  void start() throws Exception {
    own = serve(true);
    other = serve(false);
  }

  @AfterEach
  void stop() {
    own.stop(0);
    other.stop(0);
  }

  @Test
  void signsDownloadsFromItsOwnServerOnly() throws Exception {
    var client = new BundleClient(URI.create("http://127.0.0.1:" + own.getAddress().getPort()), null, "kiosk-1",
        key.getPrivate(), Clock.systemUTC());

    try (var in = client.openArtifact(URI.create("http://127.0.0.1:" + own.getAddress().getPort()
        + "/v1/artifacts/" + "ab".repeat(32) + "?x=1"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("signed");
    }
    try (var in = client.openArtifact(URI.create("http://127.0.0.1:" + other.getAddress().getPort() + "/a"))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("plain");
    }
  }

  @Test
  void failsOnAnythingButOk() throws Exception {
    var client = new BundleClient(URI.create("http://127.0.0.1:" + other.getAddress().getPort()), null, "kiosk-1",
        Keys.generate().getPrivate(), Clock.systemUTC());
    var url = URI.create("http://127.0.0.1:" + own.getAddress().getPort() + "/v1/artifacts/x");

    assertThatThrownBy(() -> client.openArtifact(url)).hasMessageStartingWith("download '" + url
        + "': server answered 401");
  }

  private HttpServer serve(boolean checkSignature) throws Exception {
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      var headers = exchange.getRequestHeaders();
      var uri = exchange.getRequestURI();
      var problem = checkSignature ? RequestSignature.check(key.getPublic(), "kiosk-1", "GET",
          uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), new byte[0],
          headers.getFirst(RequestSignature.DATE), headers.getFirst(RequestSignature.SIGNATURE), Instant.now())
          : headers.containsKey(RequestSignature.SIGNATURE) ? "signed a foreign request" : null;
      var body = (problem == null ? (checkSignature ? "signed" : "plain") : problem).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(problem == null ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }
}
