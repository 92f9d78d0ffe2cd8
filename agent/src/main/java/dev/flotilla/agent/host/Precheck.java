package dev.flotilla.agent.host;

import dev.flotilla.plan.Plan;

/**
 * The host's checks of a whole plan ({@link Applier#precheck}), made before anything is written. An immutable value;
 * {@link Applier#apply(Plan, Precheck)} takes it so the checks are not made twice.
 *
 * @param plan the plan checked
 * @param index the change a refusal names (for a full disk, the first write); -1 when the host takes the plan
 * @param message why the host refuses the plan, as {@link Applier#apply} says it; null when it takes it
 */
public record Precheck(Plan plan, int index, String message) {
  public boolean refused() {
    return message != null;
  }
}
