package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.systemd.RecordingSystemd;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.AppSpec;
import dev.flotilla.model.AppStatus;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.JournaldWatcher;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.StatusReport;
import dev.flotilla.model.WatcherSettings;
import dev.flotilla.plan.AppUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitReportsTest {

  @Test
  void reportsUnitsAndAppsAsNotManagedWithoutABus() {
    var service = new ServiceSpec();
    service.setUnit("chrony.service");
    var app = new AppSpec();
    app.setName("kiosk-ui");
    app.setVersion("1.4.0");
    var desired = new DesiredState();
    desired.setServices(List.of(service));
    desired.setApps(List.of(app));
    var report = new StatusReport();

    UnitReports.addTo(report, desired, null, null);

    assertThat(report.getResources()).extracting(ResourceStatus::getKind, ResourceStatus::getName,
        ResourceStatus::getCompliant, ResourceStatus::getMessage).containsExactly(
        org.assertj.core.groups.Tuple.tuple("unit", "chrony.service", false,
            "not managed: no systemd bus configured; set 'dbusAddress' in the agent config"),
        org.assertj.core.groups.Tuple.tuple("app", "kiosk-ui", false,
            "not managed: no systemd bus configured; set 'dbusAddress' in the agent config"));
    assertThat(report.getApps()).isEmpty();
  }

  @Test
  void reportsAnAppWhoseChangedUnitFailedItsHealthCheckAsFailed(@TempDir Path dir) throws Exception {
    var app = new AppSpec();
    app.setName("menu");
    app.setVersion("1.0");
    app.setCommand(List.of("menu"));
    app.setEnvironment(java.util.Map.of("GREETING", "fail"));
    var store = new AppStore(dir, "/var/lib/flotilla/apps");
    Files.createDirectories(store.version("menu", "1.0"));
    store.switchTo("menu", "1.0");
    var failing = AppUnit.generate(app, store.deviceCurrent("menu")).getBytes(StandardCharsets.UTF_8);
    store.markUnitFailed("menu", Digest.sha256(failing).toString(), "unit 'flotilla-app-menu.service' is failed");
    var desired = new DesiredState();
    desired.setApps(List.of(app));
    var report = new StatusReport();

    UnitReports.addTo(report, desired, null, new SystemdHost(new RecordingSystemd(true), store, url -> null, dir));

    assertThat(report.getApps()).extracting(AppStatus::getName, AppStatus::getVersion, AppStatus::getHealth,
        AppStatus::getMessage).containsExactly(org.assertj.core.groups.Tuple.tuple("menu", "1.0", "Failed",
            "the changed unit of version 1.0 failed its health check: unit 'flotilla-app-menu.service' is failed;"
                + " running the previous unit"));
  }

  @Test
  void theBundlesJournaldWatcherPicksTheUnitsAndLines() {
    var managed = List.of("chrony.service", "flotilla-app-menu.service", "kiosk.service");
    var journald = new JournaldWatcher();
    journald.setUnits(List.of("kiosk.service", "other.service"));
    journald.setLines(50L);
    var watchers = new WatcherSettings();
    watchers.setJournald(journald);

    assertThat(UnitReports.journalled(managed, watchers)).containsExactly("kiosk.service");
    assertThat(UnitReports.journalLines(watchers)).isEqualTo(50);
    assertThat(UnitReports.journalled(managed, null)).isEqualTo(managed);
    assertThat(UnitReports.journalLines(null)).isEqualTo(20);
  }
}
