package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused bundle is fetched once: the agent sends its ETag back, so a real-ETag server answers 304 until it has
 * a new bundle, and the refusal is counted once. Against a loopback HTTP server that honours If-None-Match.
 */
class RefusedBundleTest {
  @TempDir
  Path dir;
  TestDevice device;
  HttpServer server;
  final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  final AtomicReference<String> etag = new AtomicReference<>();
  final AtomicReference<byte[]> bundle = new AtomicReference<>();

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/devices/kiosk-1/bundle", exchange -> {
      var sent = exchange.getRequestHeaders().getFirst("If-None-Match");
      ifNoneMatch.add(String.valueOf(sent));
      if (etag.get().equals(sent)) {
        exchange.sendResponseHeaders(304, -1);
      } else {
        exchange.getResponseHeaders().add("ETag", etag.get());
        exchange.sendResponseHeaders(200, bundle.get().length);
        exchange.getResponseBody().write(bundle.get());
      }
      exchange.close();
    });
    server.createContext("/v1/devices/kiosk-1/status", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  @Test
  void aRefusedBundleIsNotFetchedAgainUntilANewOneExists() throws Exception {
    var forOtherDevice = TestDevice.payload(1, Map.of("/etc/motd", "hello\n"), Map.of());
    forOtherDevice.setDevice("kiosk-2");
    serve("\"refused\"", device.signed(forOtherDevice));
    try (var agent = device.agent(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))) {
      assertThat(agent.reconcileOnce(Duration.ZERO).reason()).startsWith("Refused");
      assertThat(agent.reconcileOnce(Duration.ZERO).reason()).isEqualTo("NoBundle");
      assertThat(agent.reconcileOnce(Duration.ZERO).reason()).isEqualTo("NoBundle");
      assertThat(refusals()).isEqualTo(1);

      serve("\"good\"", device.signed(TestDevice.payload(1, Map.of("/etc/motd", "hello\n"), Map.of())));
      assertThat(agent.reconcileOnce(Duration.ZERO).reason()).isEqualTo("Applied");
    }
    assertThat(ifNoneMatch).containsExactly("null", "\"refused\"", "\"refused\"", "\"refused\"");
    assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("hello\n");
    assertThat(refusals()).isEqualTo(1);
  }

  private void serve(String tag, byte[] signed) {
    bundle.set(signed);
    etag.set(tag);
  }

  private double refusals() {
    return device.metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("flotilla_agent_bundles_refused"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }
}
