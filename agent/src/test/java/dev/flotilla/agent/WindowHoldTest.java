package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.model.Weekday;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sysctl key that needs a restart is disruptive: with a clock the test moves, the agent holds it outside the
 * device's maintenance window (Tuesdays 02:00-05:00 Berlin), applies it once the clock enters the window, defers
 * drift of it to the next window, and applies it at once when an urgent policy set it or its drift mode is
 * enforce-always. The other key applies at once throughout.
 */
class WindowHoldTest {
  static final Instant MONDAY_NOON = Instant.parse("2026-11-23T12:00:00Z");
  static final Instant WINDOW_OPENS = Instant.parse("2026-11-24T01:00:00Z"); // Tue 02:00 CET
  static final Instant WINDOW_CLOSED = Instant.parse("2026-11-24T04:00:00Z"); // Tue 05:00 CET
  static final String HUGEPAGES = "vm.nr_hugepages";

  @TempDir
  Path dir;
  TestDevice device;
  TestClock clock = new TestClock(MONDAY_NOON);

  @BeforeEach
  void setUp() throws Exception {
    device = new TestDevice(dir);
    device.procKey(HUGEPAGES, "0");
    device.procKey("net.ipv4.ip_forward", "0");
  }

  @Test
  void holdsTheChangeOutsideTheWindowAndAppliesItWhenTheClockEntersIt() throws Exception {
    try (var agent = device.agent(URI.create("http://127.0.0.1:9"), clock)) {
      var held = agent.applyFile(device.signed(bundle(1, "64")));

      assertThat(held.outcome()).isEqualTo(PassOutcome.HELD_FOR_WINDOW);
      assertThat(held.message()).isEqualTo("applied 2 change(s): ~ sysctl net.ipv4.ip_forward 0 -> 1; + file "
          + "/etc/sysctl.d/90-flotilla.conf (sysctl values for boot); held 1 disruptive change(s) for a maintenance "
          + "window: ~ sysctl vm.nr_hugepages 0 -> 64 [held until Tue 02:00 CET]");
      assertThat(value(HUGEPAGES)).isEqualTo("0");
      assertThat(value("net.ipv4.ip_forward")).isEqualTo("1");
      assertThat(agent.nextOpening()).contains(WINDOW_OPENS);
      assertThat(agent.plan().lines()).containsExactly("~ sysctl vm.nr_hugepages 0 -> 64 [held until Tue 02:00 CET]");
      assertThat(StatusReports.held(held)).singleElement().satisfies(h -> {
        assertThat(h.getChange()).isEqualTo("~ sysctl vm.nr_hugepages 0 -> 64");
        assertThat(h.getUntil()).isEqualTo("Tue 02:00 CET");
        assertThat(h.getAt()).isEqualTo(WINDOW_OPENS.atOffset(ZoneOffset.UTC));
      });

      clock.set(WINDOW_OPENS.minusSeconds(1));
      assertThat(agent.correct().orElseThrow().outcome()).isEqualTo(PassOutcome.HELD_FOR_WINDOW);
      clock.set(WINDOW_OPENS);
      var applied = agent.correct().orElseThrow();

      assertThat(applied.outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(applied.message()).isEqualTo("1 change(s): ~ sysctl vm.nr_hugepages 0 -> 64");
      assertThat(value(HUGEPAGES)).isEqualTo("64");
      assertThat(agent.nextOpening()).isEmpty();
    }
  }

  @Test
  void driftOutsideTheWindowIsReportedAndCorrectedAtTheNextWindow() throws Exception {
    clock.set(WINDOW_OPENS);
    try (var agent = device.agent(URI.create("http://127.0.0.1:9"), clock)) {
      assertThat(agent.applyFile(device.signed(bundle(1, "64"))).outcome()).isEqualTo(PassOutcome.APPLIED);
      clock.set(WINDOW_CLOSED);
      device.procKey(HUGEPAGES, "0");

      var deferred = agent.correct().orElseThrow();

      assertThat(deferred.outcome()).isEqualTo(PassOutcome.HELD_FOR_WINDOW);
      assertThat(deferred.message()).endsWith("~ sysctl vm.nr_hugepages 0 -> 64 [held until Mon 02:00 CET]");
      assertThat(value(HUGEPAGES)).isEqualTo("0");
      assertThat(device.logLines()).anySatisfy(line -> assertThat(line).startsWith("drift sysctl:vm.nr_hugepages"));

      clock.set(Instant.parse("2026-11-30T01:00:00Z"));
      assertThat(agent.correct().orElseThrow().outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(value(HUGEPAGES)).isEqualTo("64");
    }
  }

  @Test
  void anUrgentKeyAppliesAtOnceOutsideTheWindow() throws Exception {
    var urgent = bundle(1, "64");
    urgent.setUrgent(Set.of("sysctl:" + HUGEPAGES));
    try (var agent = device.agent(URI.create("http://127.0.0.1:9"), clock)) {
      assertThat(agent.applyFile(device.signed(urgent)).outcome()).isEqualTo(PassOutcome.APPLIED);
      assertThat(value(HUGEPAGES)).isEqualTo("64");
    }
  }

  @Test
  void enforceAlwaysCorrectsDriftAtOnceOutsideTheWindow() throws Exception {
    var always = bundle(1, "64");
    always.setDriftModes(Map.of("sysctl:" + HUGEPAGES, DriftMode.ENFORCE_ALWAYS));
    try (var agent = device.agent(URI.create("http://127.0.0.1:9"), clock)) {
      assertThat(agent.applyFile(device.signed(always)).outcome()).isEqualTo(PassOutcome.APPLIED);
      device.procKey(HUGEPAGES, "0");

      assertThat(agent.correct().orElseThrow().outcome()).isEqualTo(PassOutcome.DRIFT_CORRECTED);
      assertThat(value(HUGEPAGES)).isEqualTo("64");
    }
  }

  /** A bundle signed at the test clock's time, with the window and the restart-needing key. */
  private BundlePayload bundle(long version, String hugepages) {
    var payload = TestDevice.payload(version, Map.of(), Map.of(HUGEPAGES, hugepages, "net.ipv4.ip_forward", "1"));
    payload.setIssuedAt(clock.instant().minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(clock.instant().plus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC));
    payload.getState().setSysctlNeedsRestart(Set.of(HUGEPAGES));
    var window = new MaintenanceWindow();
    window.setDays(new LinkedHashSet<>(List.of(Weekday.MON, Weekday.TUE)));
    window.setStart("02:00");
    window.setEnd("05:00");
    window.setTimeZone("Europe/Berlin");
    payload.setMaintenanceWindows(List.of(window));
    return payload;
  }

  private String value(String key) throws Exception {
    return Files.readString(device.proc.resolve("sys/" + key.replace('.', '/'))).strip();
  }
}
