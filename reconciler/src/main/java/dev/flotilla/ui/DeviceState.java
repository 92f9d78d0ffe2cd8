package dev.flotilla.ui;

import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.status.StatusBoard;
import java.time.Duration;
import java.time.Instant;

/**
 * What the board shows of a device, worst first: the order of this enum is the order of the fleet table.
 * {@link #of} is pure.
 */
public enum DeviceState {
  FAILING("failing"),
  OFFLINE("offline"),
  DRIFTED("drifted"),
  UPDATING("updating"),
  PENDING_CLAIM("pending claim"),
  IN_SYNC("in sync");

  private final String label;

  DeviceState(String label) {
    this.label = label;
  }

  /** The words on the page. */
  public String label() {
    return label;
  }

  /** The CSS class and the SSE value: {@code failing}, {@code pending-claim}, ... */
  public String css() {
    return label.replace(' ', '-');
  }

  /**
   * The state of a device from what is known of it.
   *
   * @param claimed whether its Device file has an identity (else it waits for a claim)
   * @param published the bundle version served to it; 0 when none
   * @param entry its last report; null when it never reported
   * @param offlineAfter how long without a report makes a device offline
   */
  public static DeviceState of(boolean claimed, long published, StatusBoard.Entry entry, Instant now,
      Duration offlineAfter) {
    if (!claimed) {
      return PENDING_CLAIM;
    }
    if (entry == null || entry.receivedAt().plus(offlineAfter).isBefore(now)) {
      return OFFLINE;
    }
    var report = entry.report();
    if (holds(report, "Stalled", ConditionStatus.TRUE) || holds(report, "Ready", ConditionStatus.FALSE)
        || report.getApps().stream().anyMatch(app -> "Failed".equals(app.getHealth()))) {
      return FAILING;
    }
    if (holds(report, "Drifted", ConditionStatus.TRUE)) {
      return DRIFTED;
    }
    var reported = report.getBundleVersion() == null ? 0 : report.getBundleVersion();
    return reported == published && holds(report, "Ready", ConditionStatus.TRUE) ? IN_SYNC : UPDATING;
  }

  private static boolean holds(StatusReport report, String type, ConditionStatus status) {
    return report.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && c.getStatus() == status);
  }
}
