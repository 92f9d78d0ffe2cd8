package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
  StandInServer server;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    server = new StandInServer();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void aRefusedBundleIsNotFetchedAgainUntilANewOneExists() throws Exception {
    var forOtherDevice = TestDevice.payload(1, Map.of("/etc/motd", "hello\n"), Map.of());
    forOtherDevice.setDevice("kiosk-2");
    server.serve("\"refused\"", device.signed(forOtherDevice));
    try (var agent = device.agent(server.uri())) {
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.REFUSED_BUNDLE);
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.NO_BUNDLE);
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.NO_BUNDLE);
      assertThat(refusals()).isEqualTo(1);

      server.serve("\"good\"", device.signed(TestDevice.payload(1, Map.of("/etc/motd", "hello\n"), Map.of())));
      assertThat(agent.reconcileOnce(Duration.ZERO).outcome()).isEqualTo(PassOutcome.APPLIED);
    }
    assertThat(server.ifNoneMatch).containsExactly("null", "\"refused\"", "\"refused\"", "\"refused\"");
    assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("hello\n");
    assertThat(refusals()).isEqualTo(1);
  }

  private double refusals() {
    return device.metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("flotilla_agent_bundles_refused"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }
}
