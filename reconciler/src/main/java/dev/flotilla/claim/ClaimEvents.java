package dev.flotilla.claim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import java.time.Instant;
import java.util.Set;

/**
 * The claim transitions {@link ClaimDesk} records: a claim committed as a device (claim, then its automatic
 * approval) or stored as pending; a pending claim an operator approved (its device served for the first time) or
 * rejected. Refused claims are counted by the API, not recorded: anyone can send them.
 */
final class ClaimEvents {
  private final History history;

  ClaimEvents(History history) {
    this.history = history;
  }

  /** Records what a batch of claims became; {@code fleetCommit} and {@code claimsCommit} may be null. */
  void decided(Enrolment.Decision[] decisions, String fleetCommit, String claimsCommit, Instant now) {
    for (var decision : decisions) {
      switch (decision) {
        case Enrolment.Enrol e -> {
          record(EventKind.CLAIM, e.claim(), fleetCommit, now, "approved", null);
          record(EventKind.APPROVAL, e.claim(), fleetCommit, now, "approved", "claim token (auto-approve)");
        }
        case Enrolment.Pend p -> record(EventKind.CLAIM, p.claim(), claimsCommit, now, "pending", null);
        default -> { }
      }
    }
  }

  /**
   * Records the pending claims of {@code after} an operator decided since {@code before}: rejected ones, and approved
   * ones (whose device is in {@code servedNow} but was not in {@code servedBefore}).
   */
  void refreshed(ClaimDesk.ClaimsBranch before, ClaimDesk.ClaimsBranch after, Set<String> servedBefore,
      Set<String> servedNow, String commit, Instant now) {
    for (var claim : after.rejected().values()) {
      if (!before.rejected().containsKey(claim.id())) {
        record(EventKind.CLAIM, claim, null, now, "rejected", "operator");
      }
    }
    for (var claim : after.pending().values()) {
      if (servedNow.contains(claim.device()) && !servedBefore.contains(claim.device())) {
        record(EventKind.APPROVAL, claim, commit, now, "approved", "operator");
      }
    }
  }

  private void record(EventKind kind, PendingClaim claim, String commit, Instant now, String outcome, String by) {
    var detail = JsonNodeFactory.instance.objectNode().put("claim", claim.id()).put("outcome", outcome)
        .put("channel", claim.channel());
    if (by != null) {
      detail.put("by", by);
    }
    history.record(new HistoryEvent(now, claim.tenant(), claim.device(), kind, commit, detail));
  }
}
