package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.trust.Keys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Plain HTTPS to the board and the API as an operator, and status reports as the device {@code device} sends them. */
final class BoardClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final LiveFleet fleet;
  private final String device;
  private final Path work;
  private final HttpClient http;

  BoardClient(LiveFleet fleet, String device, Path work) throws Exception {
    this.fleet = fleet;
    this.device = device;
    this.work = work;
    this.http = HttpClient.newBuilder().sslContext(new DeviceClient(
        fleet.server.serverCertificate(), fleet.server.address().getPort()).tls()).build();
  }

  URI uri(String path) {
    return URI.create("https://127.0.0.1:" + fleet.server.address().getPort() + path);
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the device's agent, so that only this client reports for it. */
  void stopAgent() throws Exception {
    var sandbox = fleet.devices.stream().filter(s -> s.name().equals(device)).findFirst().orElseThrow();
    sandbox.loop().close();
    sandbox.thread().join(5000);
  }

  HttpResponse<byte[]> reportFailing() throws Exception {
    return report(false);
  }

  /** Reports the device ready, then failing again: two changes of its state. */
  void toggleFailing() {
    try {
      report(true);
      report(false);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<byte[]> report(boolean ready) throws Exception {
    var report = JSON.createObjectNode().put("device", device).put("bundleVersion", fleet.served(device))
        .put("observedAt", Instant.now().toString()).put("agentVersion", "test");
    var condition = report.putArray("conditions").addObject().put("type", "Ready")
        .put("status", ready ? "True" : "False").put("reason", ready ? "ApplySucceeded" : "HealthCheckFailed");
    if (!ready) {
      condition.put("message", "app kiosk-ui: health check 'http' failed: connection refused");
      report.putArray("apps").addObject().put("name", "kiosk-ui").put("version", "1.4.0").put("health", "Failed")
          .put("message", "health check 'http' failed");
      report.putArray("resources").addObject().put("kind", "app").put("name", "kiosk-ui").put("compliant", false)
          .put("message", "health check 'http' failed");
      report.putArray("journal").add("kiosk-ui.service: Main process exited, code=exited, status=1/FAILURE");
    }
    var key = Keys.readPrivate(work.resolve("devices").resolve(device).resolve("device.pem"));
    return new DeviceClient(fleet.server.serverCertificate(),
        fleet.server.address().getPort()).post("/v1/devices/" + device + "/status", device, key,
        JSON.writeValueAsBytes(report));
  }

  /**
   * What each token's {@code /ui/events} stream received while {@code action} ran, and for a second after: every
   * stream is open (its first comment read) before the action starts.
   */
  Map<String, String> eventsDuring(List<String> tokens, Runnable action) throws Exception {
    var received = new HashMap<String, StringBuilder>();
    var open = new CountDownLatch(tokens.size());
    var readers = new java.util.ArrayList<Thread>();
    var bodies = new java.util.ArrayList<java.io.InputStream>();
    for (var token : tokens) {
      var text = new StringBuilder();
      received.put(token, text);
      var body = http.send(HttpRequest.newBuilder(uri("/ui/events")).header("Authorization", "Bearer " + token)
          .build(), HttpResponse.BodyHandlers.ofInputStream()).body();
      bodies.add(body);
      readers.add(Thread.ofVirtual().start(() -> read(body, text, open)));
    }
    open.await(5, TimeUnit.SECONDS);
    action.run();
    Thread.sleep(1000);
    for (var body : bodies) {
      body.close();
    }
    for (var reader : readers) {
      reader.join(2000);
    }
    var out = new HashMap<String, String>();
    received.forEach((token, text) -> {
      synchronized (text) {
        out.put(token, text.toString());
      }
    });
    return out;
  }

  private static void read(java.io.InputStream body, StringBuilder text, CountDownLatch open) {
    try (var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.equals(": connected")) {
          open.countDown();
        }
        synchronized (text) {
          text.append(line).append('\n');
        }
      }
    } catch (java.io.IOException e) {
      // closed by the test
    }
  }
}
