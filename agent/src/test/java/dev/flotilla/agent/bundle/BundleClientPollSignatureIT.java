package dev.flotilla.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.trust.Keys;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bundle polls reuse their signature for up to a minute (the server caches verified ones); status never does. */
class BundleClientPollSignatureIT {
  final java.security.KeyPair key = Keys.generate();
  final List<String> seen = new CopyOnWriteArrayList<>();
  Instant now = Instant.parse("2026-12-01T12:00:00Z");
  HttpServer server;
  BundleClient client;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      var headers = exchange.getRequestHeaders();
      var uri = exchange.getRequestURI();
      var path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      var body = exchange.getRequestBody().readAllBytes();
      var problem = RequestSignature.check(key.getPublic(), "kiosk-1", exchange.getRequestMethod(), path, body,
          headers.getFirst(RequestSignature.DATE), headers.getFirst(RequestSignature.SIGNATURE), now);
      seen.add(problem == null ? headers.getFirst(RequestSignature.SIGNATURE) : "refused: " + problem);
      exchange.sendResponseHeaders(problem != null ? 401 : path.endsWith("/status") ? 204 : 304, -1);
      exchange.close();
    });
    server.start();
    var clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    client = new BundleClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, "kiosk-1",
        key.getPrivate(), clock);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aPollReusesItsSignatureForUnderAMinuteThenSignsAnew() throws Exception {
    var wait = Duration.ofSeconds(30);
    assertThat(client.fetch("\"e1\"", wait)).isInstanceOf(BundleClient.Fetch.NotModified.class);
    now = now.plusSeconds(59);
    assertThat(client.fetch("\"e1\"", wait)).isInstanceOf(BundleClient.Fetch.NotModified.class);
    now = now.plusSeconds(1);
    assertThat(client.fetch("\"e1\"", wait)).isInstanceOf(BundleClient.Fetch.NotModified.class);

    assertThat(seen).hasSize(3).noneMatch(s -> s.startsWith("refused"));
    assertThat(seen.get(1)).isEqualTo(seen.get(0));
    assertThat(seen.get(2)).isNotEqualTo(seen.get(0));
  }

  @Test
  void aPollOfAnotherPathOrAfterTheClockWentBackSignsAnewAndStatusIsAlwaysFresh() throws Exception {
    client.fetch("\"e1\"", Duration.ofSeconds(30));
    client.fetch("\"e1\"", Duration.ZERO);
    now = now.minusSeconds(10);
    client.fetch("\"e1\"", Duration.ZERO);
    client.report("{}".getBytes());
    client.report("{}".getBytes());

    assertThat(seen).hasSize(5).noneMatch(s -> s.startsWith("refused")).doesNotHaveDuplicates();
  }
}
