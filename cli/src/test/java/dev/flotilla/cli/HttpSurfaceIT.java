package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.auth.RequestSignature;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.PinnedCa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler's HTTP surface as a client on loopback sees it, over real TLS: bodies refused before they are
 * sent, operator endpoints closed to loopback callers without the token, /metrics only on its own listener,
 * /healthz without internal ids, and X-Forwarded-For ignored from a peer that is no trusted proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpSurfaceIT {
  @TempDir
  static Path work;
  static LiveFleet fleet;
  static String commit;

  @BeforeAll
  static void start() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    commit = fleet.commit("Seed the fleet");
    fleet.startReconciler(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
  }

  URI url(String path) {
    return URI.create("https://127.0.0.1:" + fleet.server.address().getPort() + path);
  }

  /** On a new connection each time: the server may have closed an idle pooled one while a slow test ran. */
  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    try (var http = HttpClient.newBuilder().sslContext(PinnedCa.sslContext(fleet.server.serverCertificate()))
        .build()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Sends the headers of a 1 MiB POST and 1 KiB of its body, then reads the status line without sending more. */
  String statusLineOfAHalfSentMebibytePost(String path, Map<String, String> headers) throws Exception {
    var tls = PinnedCa.sslContext(fleet.server.serverCertificate());
    try (var socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1",
        fleet.server.address().getPort())) {
      socket.setSoTimeout(20_000); // before the fix the server waited for the rest of the body: this read timed out
      var head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048576\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      var out = socket.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1024]);
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void statusOfAnUnknownDeviceIsRefusedBeforeItsBodyIsSent() throws Exception {
    var headers = RequestSignature.sign(Keys.generate().getPrivate(), "no-such-device", "POST",
        "/v1/devices/no-such-device/status", new byte[0], Instant.now());

    assertThat(statusLineOfAHalfSentMebibytePost("/v1/devices/no-such-device/status", headers))
        .isEqualTo("HTTP/1.1 401 Unauthorized");
  }

  @Test
  void statusOfAKnownDeviceWithAStaleDateIsRefusedBeforeItsBodyIsSent() throws Exception {
    var headers = RequestSignature.sign(Keys.generate().getPrivate(), "kiosk-berlin-01-a", "POST",
        "/v1/devices/kiosk-berlin-01-a/status", new byte[0], Instant.now().minus(Duration.ofMinutes(30)));

    assertThat(statusLineOfAHalfSentMebibytePost("/v1/devices/kiosk-berlin-01-a/status", headers))
        .isEqualTo("HTTP/1.1 401 Unauthorized");
  }

  @Test
  void oversizedClaimIsRefusedBeforeItsBodyIsSent() throws Exception {
    assertThat(statusLineOfAHalfSentMebibytePost("/v1/claims", Map.of())).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void operatorEndpointsRefuseLoopbackCallersWithoutTheToken() throws Exception {
    var list = send(HttpRequest.newBuilder(url("/v1/devices")));
    var hook = send(HttpRequest.newBuilder(url("/v1/hooks/git")).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(list.statusCode()).isEqualTo(401);
    assertThat(hook.statusCode()).isEqualTo(401);
  }

  @Test
  void operatorEndpointsAnswerTheTokenTheReconcilerMade() throws Exception {
    var token = Files.readString(fleet.operatorTokenFile()).strip();
    assertThat(token).matches("[0-9a-f]{64}");

    var list = send(HttpRequest.newBuilder(url("/v1/devices")).header("Authorization", "Bearer " + token));
    var hook = send(HttpRequest.newBuilder(url("/v1/hooks/git")).header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(hook.statusCode()).as(hook.body()).isEqualTo(202);
  }

  @Test
  void metricsAreOnTheirOwnListenerOnly() throws Exception {
    var onDevices = send(HttpRequest.newBuilder(url("/metrics")));
    var own = URI.create("http://127.0.0.1:" + fleet.server.metricsAddress().getPort() + "/metrics");
    var onOwn = send(HttpRequest.newBuilder(own));

    assertThat(onDevices.statusCode()).isEqualTo(404);
    assertThat(onDevices.body()).doesNotContain("flotilla_");
    assertThat(fleet.server.metricsAddress().getAddress().isLoopbackAddress()).isTrue();
    assertThat(onOwn.statusCode()).isEqualTo(200);
    assertThat(onOwn.body()).contains("flotilla_reconciler_http_requests_total");
  }

  @Test
  void healthWithoutTheTokenHasNoCommitId() throws Exception {
    var health = send(HttpRequest.newBuilder(url("/healthz")));

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"ready\":true").doesNotContain(commit.substring(0, 7), "message");
  }

  @Test
  @Order(Integer.MAX_VALUE) // it uses up the claim failures allowed from loopback
  void forwardedForFromAPeerThatIsNoTrustedProxyIsIgnoredByTheClaimRateLimit() throws Exception {
    var codes = new ArrayList<Integer>();
    for (int i = 0; i < 22; i++) {
      var body = "{}".getBytes(StandardCharsets.UTF_8);
      var request = HttpRequest.newBuilder(url("/v1/claims")).header("X-Forwarded-For", "203.0.113." + i)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      RequestSignature.sign(Keys.generate().getPrivate(), "claim", "POST", "/v1/claims", body, Instant.now())
          .forEach(request::header);
      codes.add(send(request).statusCode());
    }

    // every claim fails (no token); 20 failures from one source are allowed, whatever address each claims to be
    // (the oversized claim of another test may have spent one of them)
    assertThat(codes.subList(0, 19)).containsOnly(400);
    assertThat(codes.subList(20, 22)).containsOnly(429);
  }
}
