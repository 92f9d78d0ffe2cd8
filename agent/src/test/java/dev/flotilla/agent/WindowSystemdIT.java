package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.drift.Debouncer;
import dev.flotilla.agent.drift.WatchSet;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.UnitState;
import dev.flotilla.model.Weekday;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real systemd: stopping a running unit is held outside the device's window (Tuesdays 02:00-05:00 Berlin) — the
 * unit keeps running, the same invocation — and the agent's loop, woken by its window alarm when the clock (set twenty
 * seconds before the opening) enters the window, stops it. (A unit file rewrite cannot be the example here: the
 * agent's free-space check finds no filesystem for a file on the container's overlay, which the host's mount table
 * does not list; on a device the agent's own mounts are visible.)
 */
class WindowSystemdIT {
  private static final String UNIT = "window-test.service";
  private static final Instant OPENS = Instant.parse("2026-12-01T01:00:00Z"); // Tue 02:00 CET
  @TempDir
  Path dir;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final KeyPair rootKey = Keys.generate();
  private final KeyPair signer = Keys.generate();

  @Test
  void aStopHeldOutsideTheWindowIsAppliedWhenTheClockEntersIt() throws Exception {
    var root = TrustRoots.toJson(TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.now().plus(
        Duration.ofDays(60)), Map.of(KeyRole.ROOT, List.of(rootKey.getPublic()), KeyRole.BUNDLE_SIGNER,
        List.of(signer.getPublic())), Map.of()), List.of(rootKey)));
    try (var container = NspawnContainer.boot("flotilla-window");
         var agent = agent(container, root, clockBefore(OPENS, Duration.ofSeconds(20)))) {
      var clock = agent.clock();
      assertThat(agent.applyFile(signed(1, UnitState.RUNNING, clock)).outcome()).isEqualTo(PassOutcome.APPLIED);
      var invocation = invocation(container);

      var held = agent.applyFile(signed(2, UnitState.STOPPED, clock));

      assertThat(held.outcome()).as(held.message()).isEqualTo(PassOutcome.HELD_FOR_WINDOW);
      assertThat(held.held().lines()).containsExactly("- unit " + UNIT + " (stop) [held until Tue 02:00 CET]");
      assertThat(invocation(container)).isEqualTo(invocation);
      assertThat(active(container)).isEqualTo("active");

      var wake = new Debouncer(WatchSet.DEFAULT_DEBOUNCE);
      try (var loop = new AgentLoop(agent, Duration.ofSeconds(600), log::add, wake, null, () -> {})) {
        var running = Thread.ofPlatform().start(loop::run);
        eventually(() -> log.stream().anyMatch(l -> l.equals("version 2: Applied: 1 change(s): - unit " + UNIT
            + " (stop) (woken by window:open)")));
        loop.close();
        running.join();
      }
      assertThat(active(container)).isEqualTo("inactive");
    }
  }

  /** A clock that runs from {@code lead} before {@code at}, as time passes. */
  private static Clock clockBefore(Instant at, Duration lead) {
    return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at.minus(lead)));
  }

  private static String active(NspawnContainer container) throws Exception {
    return container.exec("systemctl", "is-active", UNIT).output().strip();
  }

  private static String invocation(NspawnContainer container) throws Exception {
    return container.exec("systemctl", "show", "-p", "InvocationID", "--value", UNIT).output().strip();
  }

  private Agent agent(NspawnContainer container, byte[] root, Clock clock) throws Exception {
    // a closed port: the loop's fetches fail and back off; the window alarm wakes it regardless
    return AgentSystemdIT.agent(container, root, URI.create("http://127.0.0.1:9"), new AgentMetrics(), clock, dir,
        log::add);
  }

  private byte[] signed(long version, UnitState wanted, Clock clock) {
    var service = new ServiceSpec();
    service.setUnit(UNIT);
    service.setState(wanted);
    service.setUnitFile("[Service]\nExecStart=/bin/sleep infinity\n");
    var state = new DesiredState();
    state.setServices(List.of(service));
    var window = new MaintenanceWindow();
    window.setDays(new LinkedHashSet<>(List.of(Weekday.TUE)));
    window.setStart("02:00");
    window.setEnd("05:00");
    window.setTimeZone("Europe/Berlin");
    var payload = TestDevice.payload(version, Map.of(), Map.of());
    payload.setIssuedAt(clock.instant().minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(clock.instant().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
    payload.setState(state);
    payload.setMaintenanceWindows(List.of(window));
    return new BundleSigner(signer).sign(BundlePayloads.encode(payload));
  }

  /** Waits until {@code condition} holds; fails after 60 s (a hang guard, not a performance limit). */
  private static void eventually(Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < 6000 && !condition.call(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.call()).as("condition within 60 s").isTrue();
  }
}
