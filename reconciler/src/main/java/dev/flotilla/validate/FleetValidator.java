package dev.flotilla.validate;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.fleet.FleetTree;
import dev.flotilla.schema.Problem;
import dev.flotilla.schema.Severity;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a whole fleet repo: every file against its schema and layout, then the checks across files. Reports
 * every problem in one run. Thread-safe; reuse one instance, since it caches the compiled schemas.
 */
public final class FleetValidator {
  private final FleetLoader loader = new FleetLoader();
  private final Clock clock;

  public FleetValidator(Clock clock) {
    this.clock = clock;
  }

  /** The snapshot of what loaded and every problem, in {@link Problem#ORDER}. */
  public record Report(FleetSnapshot snapshot, List<Problem> problems) {
    public long errors() {
      return problems.stream().filter(p -> p.severity() == Severity.ERROR).count();
    }

    public long warnings() {
      return problems.stream().filter(p -> p.severity() == Severity.WARNING).count();
    }

    /** Valid when there is no error, and with {@code strict} no warning either. */
    public boolean valid(boolean strict) {
      return errors() == 0 && (!strict || warnings() == 0);
    }
  }

  public Report validate(FleetTree tree) throws IOException {
    var loaded = loader.load(tree);
    var problems = new ArrayList<>(loaded.problems());
    problems.addAll(FleetChecks.check(loaded.snapshot(), clock.instant()));
    problems.sort(Problem.ORDER);
    return new Report(loaded.snapshot(), List.copyOf(problems));
  }
}
