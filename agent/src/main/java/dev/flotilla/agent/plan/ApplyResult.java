package dev.flotilla.agent.plan;

import dev.flotilla.plan.Plan;
import java.util.List;
import java.util.Optional;

/** The outcome of applying a {@link Plan}: one result per change, in plan order. An immutable value. */
public record ApplyResult(List<ChangeResult> results) {

  public ApplyResult {
    results = List.copyOf(results);
  }

  /** Every change of {@code plan} SKIPPED: what a dry run returns. */
  public static ApplyResult skipped(Plan plan) {
    return new ApplyResult(plan.changes().stream().map(c -> ChangeResult.of(c, Outcome.SKIPPED)).toList());
  }

  /** Whether any change FAILED. */
  public boolean failed() {
    return results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
  }

  /** The first failure's message, if any. */
  public Optional<String> error() {
    return results.stream().filter(r -> r.outcome() == Outcome.FAILED).map(ChangeResult::error).findFirst();
  }

  /** How many changes had {@code outcome}. */
  public long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }
}
