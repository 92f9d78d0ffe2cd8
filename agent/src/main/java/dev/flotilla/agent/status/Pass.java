package dev.flotilla.agent.status;

import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.plan.Plan;
import dev.flotilla.trust.Refusal;

/**
 * The outcome of one agent pass, as reported. An immutable value.
 *
 * @param version the bundle the host is on after the pass (for a refusal, the one kept), 0 when none
 * @param plan what the pass applied (or, for {@link PassOutcome#DRIFTED}, what differs)
 * @param refusal why the bundle was refused, for {@link PassOutcome#REFUSED_BUNDLE}; null otherwise
 * @param message for a refusal, names the refused bundle's version when it is known
 * @param held the changes that wait for a maintenance window, with their holds; empty when none does
 */
public record Pass(long version, Plan plan, ApplyResult applied, PassOutcome outcome, Refusal refusal,
    String message, Plan held) {

  /** A pass that holds nothing. */
  public Pass(long version, Plan plan, ApplyResult applied, PassOutcome outcome, Refusal refusal, String message) {
    this(version, plan, applied, outcome, refusal, message, Plan.EMPTY);
  }

  /** A pass of {@code outcome} that refused no bundle. */
  public Pass(long version, Plan plan, ApplyResult applied, PassOutcome outcome, String message) {
    this(version, plan, applied, outcome, null, message);
  }

  /** A pass that applied nothing. */
  public static Pass nothingApplied(long version, PassOutcome outcome, Refusal refusal, String message) {
    return new Pass(version, Plan.EMPTY, ApplyResult.skipped(Plan.EMPTY), outcome, refusal, message);
  }

  /** Whether the host is on its bundle: the Ready condition's status. */
  public boolean ready() {
    return outcome.ready();
  }

  /** Whether the pass refused a bundle: then {@link #version} is the one kept, not the one refused. */
  public boolean refused() {
    return outcome.refused();
  }

  /** The reason of status reports and log lines, {@link PassOutcome#reason}. */
  public String reason() {
    return outcome.reason(refusal);
  }
}
