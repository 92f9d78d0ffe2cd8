package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.AppSpec;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.ResourceStatus;
import dev.flotilla.model.ServiceSpec;
import dev.flotilla.model.StatusReport;
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

    UnitReports.addTo(report, desired, null);

    assertThat(report.getResources()).extracting(ResourceStatus::getKind, ResourceStatus::getName,
        ResourceStatus::getCompliant, ResourceStatus::getMessage).containsExactly(
        org.assertj.core.groups.Tuple.tuple("unit", "chrony.service", false,
            "not managed: no systemd bus configured; set 'dbusAddress' in the agent config"),
        org.assertj.core.groups.Tuple.tuple("app", "kiosk-ui", false,
            "not managed: no systemd bus configured; set 'dbusAddress' in the agent config"));
    assertThat(report.getApps()).isEmpty();
  }
}
