package dev.flotilla.agent.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.host.systemd.RecordingSystemd;
import dev.flotilla.plan.AppUnit;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.plan.Inventory;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app whose declared unit name changed at its running version, applied by the applier with the real app installer
 * on a temp dir as host root; systemd records the calls (AppsIT does the same against a real systemd).
 */
class AppUnitMoveTest {
  private static final String OLD = "flotilla-app-web.service";
  @TempDir
  Path root;
  HostFiles files;
  AppStore store;
  RecordingSystemd systemd;
  Host host;
  Applier applier;
  Inventory owned;

  @BeforeEach
  void setUp() throws IOException {
    var apps = root.resolve("var/lib/flotilla/apps");
    Files.createDirectories(apps.resolve("web/1.0"));
    Files.writeString(apps.resolve("web/1.0/web"), "#!/bin/sh\nexec sleep infinity\n");
    Files.createSymbolicLink(apps.resolve("web/current"), Path.of("1.0"));
    files = new HostFiles(root, List.of("/etc/systemd/system"));
    store = new AppStore(apps, "/var/lib/flotilla/apps");
    systemd = new RecordingSystemd(true);
    var sysctl = new Sysctl(Files.createDirectories(root.resolve("proc")), root);
    host = new Host(files, sysctl, new SystemdHost(systemd, store, url -> null, root));
    applier = new Applier(files, sysctl, systemd, new AppInstaller(store, url -> null, files, systemd));
    var before = web(null);
    files.write("/etc/systemd/system/" + OLD, AppUnit.generate(before.getApps().get(0), store.deviceCurrent("web"))
        .getBytes(UTF_8), "0644", null, null);
    owned = Inventory.declaredBy(before);
  }

  @Test
  void movesAppToItsNewUnitStoppingTheOldOneAndDeletingItsFileThenReloadsOnce() throws IOException {
    var after = web("web.service");
    var plan = plan(after, owned);

    var applied = applier.apply(plan);

    assertThat(plan.lines()).containsExactly("~ app web 1.0 (unit flotilla-app-web.service -> web.service)");
    assertThat(outcomes(applied)).as(applied.error().orElse("")).containsExactly(Outcome.UPDATED);
    assertThat(systemd.calls).containsExactly("reload", "stop " + OLD, "restart web.service", "disable " + OLD,
        "reload");
    assertThat(root.resolve("etc/systemd/system/" + OLD)).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/web.service")).content().contains("ExecStart=");
    var inventory = recorded(after, applied);
    assertThat(inventory.apps()).containsExactly(Map.entry("web", new Inventory.App("web.service", true)));
    assertThat(plan(after, inventory).lines()).as("the next pass plans nothing").isEmpty();
  }

  @Test
  void newUnitFailingItsHealthCheckGoesBackToTheOldUnitAndIsNotTriedAgain() throws IOException {
    systemd.failing.add("web.service");
    var after = web("web.service");

    var applied = applier.apply(plan(after, owned));

    assertThat(applied.error()).hasValue("reconfigure app 'web' 1.0: health check failed: unit 'web.service' is"
        + " failed (result 'exit-code', ExecMainStatus 1); went back to unit '" + OLD + "'");
    assertThat(systemd.calls).containsExactly("reload", "stop " + OLD, "restart web.service", "stop web.service",
        "reload", "restart " + OLD);
    assertThat(systemd.unit(OLD).activeState()).isEqualTo("active");
    assertThat(root.resolve("etc/systemd/system/" + OLD)).exists();
    assertThat(root.resolve("etc/systemd/system/web.service")).as("the new unit file is taken back").doesNotExist();
    var inventory = recorded(after, applied);
    assertThat(inventory.apps()).as("the app stays under its old unit")
        .containsExactly(Map.entry("web", new Inventory.App(OLD, true)));
    assertThat(plan(after, inventory).lines()).as("a move that failed is not tried again").isEmpty();
  }

  @Test
  void newUnitSystemdRefusesToStartGoesBackToTheOldUnit() throws IOException {
    systemd.refused.add("web.service");

    var applied = applier.apply(plan(web("web.service"), owned));

    assertThat(applied.error()).hasValue("reconfigure app 'web' 1.0: health check failed: restart unit"
        + " 'web.service': job failed; went back to unit '" + OLD + "'");
    assertThat(systemd.unit(OLD).activeState()).isEqualTo("active");
    assertThat(root.resolve("etc/systemd/system/web.service")).doesNotExist();
  }

  @Test
  void newVersionUnderANewUnitFailingItsHealthCheckSwitchesBackUnderTheOldUnit() throws IOException {
    Files.createDirectories(root.resolve("var/lib/flotilla/apps/web/2.0"));
    systemd.failing.add("web.service");
    var after = web("web.service");
    after.getApps().get(0).setVersion("2.0");
    var plan = plan(after, owned);

    var applied = applier.apply(plan);

    assertThat(plan.lines()).containsExactly("~ app web 1.0 -> 2.0 (switch; unit " + OLD + " -> web.service)");
    assertThat(applied.error()).hasValue("switch app 'web' to 2.0: health check failed: unit 'web.service' is"
        + " failed (result 'exit-code', ExecMainStatus 1); switched back to 1.0 under unit '" + OLD + "'");
    assertThat(store.current("web")).isEqualTo("1.0");
    assertThat(systemd.unit(OLD).activeState()).isEqualTo("active");
    assertThat(root.resolve("etc/systemd/system/" + OLD)).exists();
    assertThat(root.resolve("etc/systemd/system/web.service")).doesNotExist();
    assertThat(recorded(after, applied).apps()).containsExactly(Map.entry("web", new Inventory.App(OLD, true)));
  }

  @Test
  void newVersionFailingItsHealthCheckUnderTheSameUnitGetsTheOldUnitFileBack() throws IOException {
    var unitFile = root.resolve("etc/systemd/system/" + OLD);
    var oldText = Files.readString(unitFile);
    Files.createDirectories(root.resolve("var/lib/flotilla/apps/web/2.0"));
    systemd.failing.add(OLD);
    var after = web(null);
    after.getApps().get(0).setVersion("2.0");
    after.getApps().get(0).setCommand(List.of("web", "--port", "8081"));

    var applied = applier.apply(plan(after, owned));

    assertThat(applied.error()).hasValueSatisfying(e -> assertThat(e).endsWith("; switched back to 1.0"));
    assertThat(store.current("web")).isEqualTo("1.0");
    assertThat(unitFile).content().isEqualTo(oldText);
  }

  @Test
  void oldUnitWhoseFileTheAgentDidNotWriteIsDisabledAndSystemdReloaded() throws IOException {
    var theirs = owned.withApps(Map.of("web", new Inventory.App(OLD, false)));
    var plan = plan(web("web.service"), theirs);

    var applied = applier.apply(plan);

    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    assertThat(systemd.calls).endsWith("disable " + OLD, "reload");
    assertThat(root.resolve("etc/systemd/system/" + OLD)).exists();
  }

  @Test
  void oldUnitADeclaredServiceRunsNowIsLeftRunning() throws IOException {
    var after = web("web.service");
    var service = new dev.flotilla.model.ServiceSpec();
    service.setUnit(OLD);
    after.setServices(List.of(service));
    var plan = plan(after, owned);

    var applied = applier.apply(new Plan(plan.changes().stream()
        .filter(c -> c.resourceKey().equals("app:web")).toList()));

    assertThat(plan.lines()).contains("~ app web 1.0 (unit " + OLD + " -> web.service; leaves unit " + OLD + ")");
    assertThat(applied.failed()).as(applied.error().orElse("")).isFalse();
    assertThat(systemd.calls).containsExactly("reload", "restart web.service");
    assertThat(root.resolve("etc/systemd/system/" + OLD)).exists();
  }

  private Plan plan(DesiredState desired, Inventory inventory) throws IOException {
    return Planner.plan(desired, Map.of(), host.observe(desired, inventory), inventory);
  }

  /** The inventory after the first apply of {@link #owned} and then {@code applied} of {@code desired}. */
  private Inventory recorded(DesiredState desired, ApplyResult applied) throws IOException {
    try (var state = AgentState.open(root.resolve("state"))) {
      state.recordApply(1, owned, new ApplyResult(List.of()), Instant.EPOCH);
      state.recordApply(2, Inventory.declaredBy(desired), applied, Instant.EPOCH);
      return state.inventory();
    }
  }

  private static DesiredState web(String unit) {
    var check = new HealthCheck();
    check.setMinReadySeconds(0L);
    var spec = new AppSpec();
    spec.setName("web");
    spec.setArtifact("web");
    spec.setVersion("1.0");
    spec.setUnit(unit);
    spec.setCommand(List.of("web"));
    spec.setHealthCheck(check);
    var desired = new DesiredState();
    desired.setApps(List.of(spec));
    return desired;
  }

  private static List<Outcome> outcomes(ApplyResult result) {
    return result.results().stream().map(ChangeResult::outcome).toList();
  }
}
