package dev.flotilla.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentLoop;
import dev.flotilla.agent.TestDevice;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.DriftTiming;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop against a sandbox host with real inotify: the server is unreachable, so every correction here
 * comes from a local wake-up, not from a poll.
 */
class DriftLoopIT {
  @TempDir
  Path dir;
  TestDevice device;
  Agent agent;
  DriftWatcher watcher;
  AgentLoop loop;
  Thread running;

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    device.procKey("vm.swappiness", "60");
    agent = device.agent();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (loop != null) {
      loop.close();
      running.join();
    }
    if (watcher != null) {
      watcher.close();
    }
    agent.close();
  }

  @Test
  void correctsAFileSavedByRenameWithoutWaitingForThePoll() throws Exception {
    start(TestDevice.payload(1, Map.of("/etc/motd", "welcome\n"), Map.of()), true);
    var motd = device.host.resolve("etc/motd");

    var temp = Files.writeString(device.host.resolve("etc/motd~"), "tampered\n");
    Files.move(temp, motd, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    eventually(() -> Files.readString(motd).equals("welcome\n"));
    assertThat(device.logLines()).anySatisfy(line -> assertThat(line)
        .startsWith("drift file:/etc/motd (enforce): expected sha256 sha256:")
        .contains("; actual sha256 sha256:"));
    var corrected = PassOutcome.DRIFT_CORRECTED.reason() + ": 1 change(s): ~ file /etc/motd (content)";
    eventually(() -> device.logLines().stream().anyMatch(l -> l.contains(corrected)));
    assertThat(drifts("file", "enforce")).isEqualTo(1);
    assertThat(compliant("file", "/etc/motd")).isEqualTo(1);
  }

  @Test
  void correctsASysctlKeyAtTheBundlesPollInterval() throws Exception {
    var payload = TestDevice.payload(1, Map.of(), Map.of("vm.swappiness", "10"));
    var timing = new DriftTiming();
    timing.setSysctlPollInterval("50ms");
    timing.setDebounce("10ms");
    payload.setDriftTiming(timing);
    start(payload, true);
    var file = device.proc.resolve("sys/vm/swappiness");
    assertThat(Files.readString(file)).isEqualTo("10\n");

    device.procKey("vm.swappiness", "60");

    eventually(() -> Files.readString(file).strip().equals("10"));
    assertThat(device.logLines()).contains("drift sysctl:vm.swappiness (enforce): expected 10; actual 60");
  }

  @Test
  void reportModeCountsAndReportsButLeavesTheFile() throws Exception {
    var payload = TestDevice.payload(1, Map.of("/etc/motd", "welcome\n"), Map.of());
    payload.setDriftModes(Map.of("file:/etc/motd", DriftMode.REPORT));
    start(payload, true);

    Files.writeString(device.host.resolve("etc/motd"), "local edit\n");

    eventually(() -> drifts("file", "report") >= 1);
    eventually(() -> compliant("file", "/etc/motd") == 0);
    // the drift is counted during the pass, before the pass is recorded as the last one
    eventually(() -> agent.last().outcome() == PassOutcome.DRIFTED);
    assertThat(Files.readString(device.host.resolve("etc/motd"))).isEqualTo("local edit\n");
  }

  @Test
  void anotherWatcherWakesTheLoopThroughItsEntryPoint() throws Exception {
    start(TestDevice.payload(1, Map.of("/etc/motd", "welcome\n"), Map.of()), false);
    Files.writeString(device.host.resolve("etc/motd"), "tampered\n");

    loop.wakeUp().accept("unit:kiosk.service");

    eventually(() -> Files.readString(device.host.resolve("etc/motd")).equals("welcome\n"));
  }

  private void start(BundlePayload payload, boolean watch) throws Exception {
    assertThat(agent.applyFile(device.signed(payload)).outcome()).isEqualTo(PassOutcome.APPLIED);
    var wake = new Debouncer(WatchSet.DEFAULT_DEBOUNCE);
    watcher = watch ? new DriftWatcher(device.files(), device.sysctl(), wake, device.log::add) : null;
    var ready = new CountDownLatch(1);
    loop = new AgentLoop(agent, Duration.ofSeconds(30), device.log::add, wake, watcher, ready::countDown);
    running = Thread.ofPlatform().start(loop::run);
    ready.await();
  }

  private double drifts(String kind, String mode) {
    return device.metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("flotilla_agent_drift_events"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(p -> p.getLabels().get("kind").equals(kind) && p.getLabels().get("mode").equals(mode))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  private double compliant(String kind, String name) {
    return device.metrics.registry().scrape().stream()
        .filter(s -> s.getMetadata().getName().equals("flotilla_agent_resource_compliant"))
        .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
        .filter(p -> p.getLabels().get("kind").equals(kind) && p.getLabels().get("name").equals(name))
        .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).findFirst().orElse(-1);
  }

  /** Waits until {@code condition} holds; fails after 30 s (a hang guard, not a performance limit). */
  static void eventually(Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < 3000; i++) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(10);
    }
    assertThat(condition.call()).as("condition within 30 s").isTrue();
  }
}
