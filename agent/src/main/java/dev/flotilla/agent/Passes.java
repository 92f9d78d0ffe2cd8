package dev.flotilla.agent;

import static dev.flotilla.agent.status.PassOutcome.APPLIED;
import static dev.flotilla.agent.status.PassOutcome.APPLY_FAILED;
import static dev.flotilla.agent.status.PassOutcome.DRIFTED;
import static dev.flotilla.agent.status.PassOutcome.DRIFT_CORRECTED;
import static dev.flotilla.agent.status.PassOutcome.HELD_FOR_WINDOW;
import static dev.flotilla.agent.status.PassOutcome.RECOVERED;
import static dev.flotilla.agent.status.PassOutcome.SYSTEMD_UNAVAILABLE;
import static dev.flotilla.agent.status.PassOutcome.UP_TO_DATE;

import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.plan.Plan;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;

/** The {@link Pass} of each way a pass ends, with its message. Pure. */
final class Passes {
  /**
   * Why a bundle's plan is applied: a new bundle, the same one again, the same one at start after a crash, or the
   * changes of a new bundle that waited for a maintenance window.
   */
  enum Trigger { NEW_BUNDLE, ENFORCE, RECOVERY, WINDOW }

  private Passes() {}

  static Pass noBundle() {
    return Pass.nothingApplied(0, PassOutcome.NO_BUNDLE, null, "no bundle for this device yet");
  }

  /** A bundle that failed verification; the host stays on {@code kept} (0: none). */
  static Pass refused(TrustException e, String what, long kept) {
    var version = e.bundleVersion().isPresent() ? " version " + e.bundleVersion().getAsLong() : "";
    return refusal(PassOutcome.REFUSED_BUNDLE, e.refusal(), "refuse " + what + version + ": " + e.getMessage(),
        kept, "");
  }

  /** A verified bundle whose plan the host refuses as a whole; the host stays on {@code kept} (0: none). */
  static Pass refusedAtPlan(long version, String refusal, long kept) {
    return refusal(PassOutcome.REFUSED_PLAN, null, "refuse bundle version " + version + ": " + refusal, kept,
        "; no bundle applied yet");
  }

  /** An accepted bundle that could not be stored; the host stays on {@code kept}. */
  static Pass storeFailed(long kept, String message) {
    return Pass.nothingApplied(kept, PassOutcome.STORE_FAILED, null, message);
  }

  /**
   * The pass that applied {@code toApply} of {@code plan} (what may apply now of a new bundle's plan, its
   * enforceable part otherwise); with changes held for a maintenance window it is {@code HeldForWindow}.
   *
   * @param systemdError why systemd could not be reached, or null
   * @param managesUnits whether the bundle declares units or apps
   */
  static Pass applied(Trigger trigger, long version, Plan plan, Plan toApply, ApplyResult applied,
      String systemdError, boolean managesUnits) {
    if (applied.failed()) {
      return new Pass(version, toApply, applied, APPLY_FAILED, applied.error().orElse("apply failed"));
    }
    if (systemdError != null && managesUnits) {
      return new Pass(version, toApply, applied, SYSTEMD_UNAVAILABLE, systemdError + "; units and apps not applied, "
          + (toApply.isEmpty() ? "files and sysctl up to date" : "applied " + changes(toApply)));
    }
    var reportOnly = plan.reportOnly();
    if (trigger != Trigger.NEW_BUNDLE && trigger != Trigger.WINDOW && !reportOnly.isEmpty()) {
      return new Pass(version, plan, applied, DRIFTED, reportOnly.changes().size()
          + " resource(s) differ and are only reported: " + String.join("; ", reportOnly.lines()));
    }
    var held = plan.heldChanges();
    if (!held.isEmpty()) {
      return new Pass(version, toApply, applied, HELD_FOR_WINDOW, null, (toApply.isEmpty() ? ""
          : "applied " + changes(toApply) + "; ") + "held " + held.changes().size() + " disruptive change(s) for a "
          + "maintenance window: " + String.join("; ", held.lines()), held);
    }
    var outcome = toApply.isEmpty() ? UP_TO_DATE : switch (trigger) {
      case NEW_BUNDLE, WINDOW -> APPLIED;
      case ENFORCE -> DRIFT_CORRECTED;
      case RECOVERY -> RECOVERED;
    };
    return new Pass(version, toApply, applied, outcome, toApply.isEmpty()
        ? "version " + version + " applied, no changes needed" : changes(toApply));
  }

  /** A recovery pass that found nothing to apply but removed what an interrupted apply left behind. */
  static Pass leftoversRemoved(Pass pass, int removed) {
    return new Pass(pass.version(), pass.plan(), pass.applied(), RECOVERED,
        "removed " + removed + " temp file(s) of an interrupted apply; " + pass.message());
  }

  private static String changes(Plan plan) {
    return plan.changes().size() + " change(s): " + String.join("; ", plan.lines());
  }

  /** The host stays on {@code kept}, which the message is followed by ({@code withoutBundle} when none). */
  private static Pass refusal(PassOutcome outcome, Refusal refusal, String message, long kept, String withoutBundle) {
    return Pass.nothingApplied(kept, outcome, refusal,
        message + (kept == 0 ? withoutBundle : "; keeping version " + kept));
  }
}
