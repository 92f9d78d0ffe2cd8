package dev.flotilla.agent.host.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.host.Host;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.agent.rig.NspawnContainer;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.DriftMode;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.UnitState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Units against a real systemd in a systemd-nspawn container, through D-Bus, as the agent composes them. */
class SystemdIT {
  private static final String SLEEPER = "[Unit]\nDescription=flotilla test sleeper\n[Service]\n"
      + "ExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n";
  private static NspawnContainer container;
  private static DbusSystemd systemd;
  @TempDir
  static Path scratch;
  private static Host host;
  private static Applier applier;

  @BeforeAll
  static void boot() throws Exception {
    container = NspawnContainer.boot("flotilla-sd");
    systemd = DbusSystemd.connect(container.busAddress());
    var files = new HostFiles(container.hostRoot(), List.of("/etc"));
    var sysctl = new Sysctl(Files.createDirectories(scratch.resolve("proc")), container.hostRoot());
    var apps = new AppStore(container.hostRoot().resolve("var/lib/flotilla/apps"), "/var/lib/flotilla/apps");
    host = new Host(files, sysctl, new SystemdHost(systemd, apps, url -> {
      throw new IOException("no artifacts here");
    }, container.hostRoot()));
    applier = new Applier(files, sysctl, systemd, null);
  }

  @AfterAll
  static void stop() throws IOException {
    if (systemd != null) {
      systemd.close();
    }
    if (container != null) {
      container.close();
    }
  }

  @Test
  void declaredUnitComesUpRunningAndEnabled() throws Exception {
    var desired = state(service("sleeper-a.service", SLEEPER, UnitState.RUNNING, true));

    var plan = plan(desired, Map.of());
    var applied = applier.apply(plan);

    assertThat(plan.lines()).containsExactly("+ unit sleeper-a.service (unit file)",
        "+ unit sleeper-a.service (enable)", "+ unit sleeper-a.service (start)");
    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    var unit = systemd.unit("sleeper-a.service");
    assertThat(unit.activeState()).isEqualTo("active");
    assertThat(unit.unitFileState()).isEqualTo("enabled");
    assertThat(container.exec("systemctl", "is-enabled", "sleeper-a.service").output().strip()).isEqualTo("enabled");
    assertThat(plan(desired, Map.of()).lines()).isEmpty();
  }

  @Test
  void stopInsideTheContainerIsDetectedAndCorrected() throws Exception {
    var desired = state(service("sleeper-b.service", SLEEPER, UnitState.RUNNING, null));
    applier.apply(plan(desired, Map.of()));
    var events = new LinkedBlockingQueue<String>();
    try (var watcher = new UnitWatcher(systemd, events::add)) {
      watcher.manage(Set.of("sleeper-b.service"));

      assertThat(container.exec("systemctl", "stop", "sleeper-b.service").exit()).isZero();
      assertThat(events.take()).isEqualTo("unit:sleeper-b.service");
      var drift = plan(desired, Map.of());
      var applied = applier.apply(drift.enforceable());

      assertThat(drift.lines()).containsExactly("+ unit sleeper-b.service (start)");
      assertThat(applied.failed()).isFalse();
      assertThat(systemd.unit("sleeper-b.service").activeState()).isEqualTo("active");
    }
  }

  @Test
  void reportModeOnlyReportsAUnitStoppedFromOutside() throws Exception {
    var desired = state(service("sleeper-c.service", SLEEPER, UnitState.RUNNING, null));
    applier.apply(plan(desired, Map.of()));
    container.exec("systemctl", "stop", "sleeper-c.service");

    var drift = plan(desired, Map.of("unit:sleeper-c.service", DriftMode.REPORT));
    applier.apply(drift.enforceable());

    assertThat(drift.lines()).containsExactly("+ unit sleeper-c.service (start) [report]");
    assertThat(systemd.unit("sleeper-c.service").activeState()).isEqualTo("inactive");
  }

  @Test
  void failingUnitIsReportedWithItsResultAndExitStatus() throws Exception {
    var unitFile = "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo flotilla-broken-unit; exit 3'\n";
    var desired = state(service("broken.service", unitFile, UnitState.RUNNING, null));

    var applied = applier.apply(plan(desired, Map.of()));

    assertThat(applied.error()).hasValue("start unit 'broken.service': job failed, unit failed (result 'exit-code',"
        + " ExecMainStatus 3); see 'journalctl -u broken.service'");
    assertThat(new Journal(container.hostRoot()).lastLines("broken.service", 5)).contains("flotilla-broken-unit");
  }

  @Test
  void stopsAndDisablesAUnitDeclaredStopped() throws Exception {
    applier.apply(plan(state(service("sleeper-d.service", SLEEPER, UnitState.RUNNING, true)), Map.of()));
    var desired = state(service("sleeper-d.service", SLEEPER, UnitState.STOPPED, false));

    var plan = plan(desired, Map.of());
    var applied = applier.apply(plan);

    assertThat(plan.lines()).containsExactly("- unit sleeper-d.service (disable)", "- unit sleeper-d.service (stop)");
    assertThat(applied.failed()).isFalse();
    assertThat(systemd.unit("sleeper-d.service").activeState()).isEqualTo("inactive");
    assertThat(systemd.unit("sleeper-d.service").unitFileState()).isEqualTo("disabled");
  }

  @Test
  void removesAUnitFileItWroteOnceNoLongerDeclaredAndKeepsOneItDidNot() throws Exception {
    var first = state(service("prune-a.service", SLEEPER, UnitState.RUNNING, true),
        service("prune-b.service", SLEEPER, UnitState.RUNNING, null));
    assertThat(applier.apply(plan(first, Map.of())).failed()).isFalse();
    var stranger = container.hostRoot().resolve("etc/systemd/system/stranger.service");
    Files.writeString(stranger, SLEEPER);
    var owned = Inventory.declaredBy(first).withUnitFiles(Set.of("prune-a.service", "prune-b.service"));
    var second = state(service("prune-b.service", SLEEPER, UnitState.RUNNING, null));

    var plan = Planner.plan(second, Map.of(), host.observe(second, owned), owned);
    var applied = applier.apply(plan);

    assertThat(plan.lines()).containsExactly("- unit prune-a.service (no longer declared)");
    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    assertThat(container.hostRoot().resolve("etc/systemd/system/prune-a.service")).doesNotExist();
    assertThat(systemd.unit("prune-a.service").loadState()).isEqualTo("not-found");
    assertThat(systemd.unit("prune-a.service").activeState()).isEqualTo("inactive");
    assertThat(container.exec("systemctl", "is-enabled", "prune-a.service").output().strip()).isNotEqualTo("enabled");
    assertThat(systemd.unit("prune-b.service").activeState()).isEqualTo("active");
    assertThat(stranger).exists();
  }

  private static Plan plan(DesiredState desired, Map<String, DriftMode> modes) throws IOException {
    return Planner.plan(desired, modes, host.observe(desired, Inventory.EMPTY), Inventory.EMPTY);
  }

  static DesiredState state(ServiceSpec... services) {
    var state = new DesiredState();
    state.setServices(List.of(services));
    return state;
  }

  static ServiceSpec service(String unit, String unitFile, UnitState state, Boolean enabled) {
    var spec = new ServiceSpec();
    spec.setUnit(unit);
    spec.setUnitFile(unitFile);
    spec.setState(state);
    spec.setEnabled(enabled);
    return spec;
  }
}
