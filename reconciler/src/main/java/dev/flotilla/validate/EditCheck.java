package dev.flotilla.validate;

import dev.flotilla.fleet.FleetTree;
import dev.flotilla.schema.Problem;
import dev.flotilla.schema.Severity;
import dev.flotilla.git.FileChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The check every commit Flotilla makes goes through, the reconciler's claims and the CLI's edits alike: validate
 * the whole fleet as the commit would leave it, as {@code flotilla validate} and the reconciler do, and name the
 * errors it has that the fleet before did not. A commit with any is one the reconciler would refuse, so it is never
 * made. Errors the fleet had already are not the commit's. Thread-safe; reuse one, since its validator caches.
 */
public final class EditCheck {
  private final FleetValidator validator;

  public EditCheck(FleetValidator validator) {
    this.validator = validator;
  }

  /** The errors {@code before} with {@code changes} has and {@code before} alone has not, in {@link Problem#ORDER}. */
  public List<Problem> newErrors(FleetTree before, List<FileChange> changes) throws IOException {
    return newErrors(before, changes, false);
  }

  /** As {@link #newErrors(FleetTree, List)}; {@code baseValid} says {@code before} has no error, known already. */
  public List<Problem> newErrors(FleetTree before, List<FileChange> changes, boolean baseValid) throws IOException {
    var old = new HashMap<Key, Integer>();
    if (!baseValid) {
      errors(validator.validate(before)).forEach(p -> old.merge(Key.of(p), 1, Integer::sum));
    }
    var added = new ArrayList<Problem>();
    for (var problem : errors(validator.validate(new EditedTree(before, changes)))) {
      if (old.merge(Key.of(problem), -1, Integer::sum) < 0) {
        added.add(problem);
      }
    }
    return added;
  }

  private static List<Problem> errors(FleetValidator.Report report) {
    return report.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
  }

  /** A problem without its line and column, which edits elsewhere in its file may move. */
  private record Key(String file, String field, String message, String hint) {
    static Key of(Problem problem) {
      return new Key(problem.file(), problem.field(), problem.message(), problem.hint());
    }
  }
}
