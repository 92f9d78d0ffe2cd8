package dev.flotilla.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.model.AppStatus;
import dev.flotilla.model.Condition;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.status.StatusBoard;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceStateTest {
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  static final Duration OFFLINE_AFTER = Duration.ofMinutes(3);

  @Test
  void aDeviceFileWithoutIdentityWaitsForItsClaim() {
    assertThat(DeviceState.of(false, 0, null, NOW, OFFLINE_AFTER)).isEqualTo(DeviceState.PENDING_CLAIM);
  }

  @Test
  void noReportOrAnOldOneIsOffline() {
    assertThat(DeviceState.of(true, 4, null, NOW, OFFLINE_AFTER)).isEqualTo(DeviceState.OFFLINE);
    assertThat(state(report(4, ConditionStatus.TRUE), NOW.minus(Duration.ofMinutes(4))))
        .isEqualTo(DeviceState.OFFLINE);
  }

  @Test
  void readyAtTheServedVersionIsInSyncAndBehindIsUpdating() {
    assertThat(state(report(4, ConditionStatus.TRUE), NOW)).isEqualTo(DeviceState.IN_SYNC);
    assertThat(state(report(3, ConditionStatus.TRUE), NOW)).isEqualTo(DeviceState.UPDATING);
  }

  @Test
  void notReadyStalledOrAFailedAppIsFailing() {
    assertThat(state(report(4, ConditionStatus.FALSE), NOW)).isEqualTo(DeviceState.FAILING);
    var stalled = report(4, ConditionStatus.TRUE);
    stalled.getConditions().add(condition("Stalled", ConditionStatus.TRUE, "BundleRefused"));
    assertThat(state(stalled, NOW)).isEqualTo(DeviceState.FAILING);
    var app = report(4, ConditionStatus.TRUE);
    var status = new AppStatus();
    status.setName("pos");
    status.setVersion("1.2.0");
    status.setHealth("Failed");
    app.getApps().add(status);
    assertThat(state(app, NOW)).isEqualTo(DeviceState.FAILING);
  }

  @Test
  void driftIsShownUnlessSomethingFails() {
    var drifted = report(4, ConditionStatus.TRUE);
    drifted.getConditions().add(condition("Drifted", ConditionStatus.TRUE, "DriftReported"));
    assertThat(state(drifted, NOW)).isEqualTo(DeviceState.DRIFTED);
    assertThat(FleetRows.problem(drifted)).isEqualTo("DriftReported");
  }

  @Test
  void cssNamesAreTheLabelsWithDashes() {
    assertThat(DeviceState.PENDING_CLAIM.css()).isEqualTo("pending-claim");
    assertThat(DeviceState.IN_SYNC.label()).isEqualTo("in sync");
  }

  static DeviceState state(StatusReport report, Instant receivedAt) {
    return DeviceState.of(true, 4, new StatusBoard.Entry(report, receivedAt), NOW, OFFLINE_AFTER);
  }

  static StatusReport report(long version, ConditionStatus ready) {
    var report = new StatusReport();
    report.setDevice("k1");
    report.setBundleVersion(version);
    report.setConditions(new java.util.ArrayList<>(List.of(condition("Ready", ready,
        ready == ConditionStatus.TRUE ? "ApplySucceeded" : "ApplyFailed"))));
    return report;
  }

  static Condition condition(String type, ConditionStatus status, String reason) {
    var condition = new Condition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    return condition;
  }
}
