package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.AppSpec;
import dev.flotilla.model.JournaldWatcher;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.StatusReport;
import dev.flotilla.model.WatcherSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

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
