package dev.flotilla.agent.plan;

import dev.flotilla.plan.Change;

/**
 * The outcome of one change.
 *
 * @param error a message in the form {@code <action> <object>: <cause>[; <fix>]} when FAILED, otherwise null
 */
public record ChangeResult(Change change, Outcome outcome, String error) {

  public static ChangeResult of(Change change, Outcome outcome) {
    return new ChangeResult(change, outcome, null);
  }

  public static ChangeResult failed(Change change, String error) {
    return new ChangeResult(change, Outcome.FAILED, error);
  }

  /** Whether this change wrote to the host. */
  public boolean wrote() {
    return outcome == Outcome.CREATED || outcome == Outcome.UPDATED || outcome == Outcome.DELETED;
  }
}
