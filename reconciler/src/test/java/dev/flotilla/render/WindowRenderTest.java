package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.model.MaintenanceWindow;
import dev.flotilla.preview.FleetRender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches a bundle of maintenance windows, urgent policies, restart-needing sysctl keys and drains. */
class WindowRenderTest {
  @TempDir
  Path fleet;

  @BeforeEach
  void copyBase() throws IOException {
    dev.flotilla.validate.FleetChecksGoldenTest.copy(DeviceRendererTest.BASE, fleet);
    Files.writeString(fleet.resolve("tenants/acme/policies/base.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Policy
        metadata: { name: base, tenant: acme }
        spec:
          selector: {}
          priority: 10
          urgent: true
          state:
            sysctl: { net.ipv4.tcp_syncookies: "1", vm.nr_hugepages: "64" }
            sysctlNeedsRestart: [vm.nr_hugepages, vm.swappiness]
            services:
              - { unit: chrony.service, state: running }
          maintenanceWindows:
            - { days: [tue], start: "02:00", end: "05:00", timeZone: Europe/Berlin, blackoutDates: ["2026-12-22"] }
        """);
  }

  @Test
  void policyWindowsUrgentKeysAndRestartKeysReachTheBundle() throws IOException {
    var payload = render().devices().get("kiosk-3").payload();

    assertThat(payload.getMaintenanceWindows()).extracting(MaintenanceWindow::getTimeZone)
        .containsExactly("Europe/Berlin");
    assertThat(payload.getUrgent()).containsExactly("sysctl:net.ipv4.tcp_syncookies", "sysctl:vm.nr_hugepages",
        "unit:chrony.service");
    // vm.swappiness is not declared, so it is not listed
    assertThat(payload.getState().getSysctlNeedsRestart()).containsExactly("vm.nr_hugepages");
    assertThat(payload.getDrain()).isNull();
  }

  @Test
  void deviceWindowsReplaceThoseOfItsPoliciesAndDrainReachesItsBundle() throws IOException {
    var device = fleet.resolve("tenants/acme/devices/kiosk-3.yaml");
    Files.writeString(device, Files.readString(device) + """
          drain: true
          maintenanceWindows:
            - { dates: ["2026-12-24"], start: "22:00", end: "01:00", timeZone: America/New_York }
        """);

    var payload = render().devices().get("kiosk-3").payload();

    assertThat(payload.getMaintenanceWindows()).singleElement().satisfies(w -> {
      assertThat(w.getTimeZone()).isEqualTo("America/New_York");
      assertThat(w.getDates()).containsExactly("2026-12-24");
    });
    assertThat(payload.getDrain()).isTrue();
  }

  @Test
  void aBundleWithoutAnyOfThemLeavesTheFieldsOut() throws IOException {
    Files.delete(fleet.resolve("tenants/acme/policies/base.yaml"));

    var payload = render().devices().get("kiosk-3").payload();

    assertThat(payload.getUrgent()).isNull();
    assertThat(payload.getState().getSysctlNeedsRestart()).isNull();
  }

  private FleetRender render() throws IOException {
    var render = FleetRender.of(new DirectoryTree(fleet), DeviceRendererTest.VALIDATOR);
    assertThat(render.errors()).isEmpty();
    return render;
  }
}
