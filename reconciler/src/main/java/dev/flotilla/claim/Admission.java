package dev.flotilla.claim;

import dev.flotilla.fleet.FleetTree;
import dev.flotilla.schema.Problem;
import dev.flotilla.git.FileChange;
import dev.flotilla.validate.EditCheck;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets a batch of claims into the fleet only as far as the fleet stays valid: the Device file each accepted claim
 * becomes (committed now, or on approval for a pending one) is validated with the whole fleet by {@link EditCheck},
 * the same check every CLI commit passes, and a claim whose file would add an error is refused with 400 and that
 * error. The common case costs one validation per batch; only a batch with an error is checked claim by claim.
 */
final class Admission {
  private final EditCheck check;

  Admission(EditCheck check) {
    this.check = check;
  }

  /**
   * The Device files to commit for the {@link Enrolment.Enrol}s of {@code decisions}, on top of {@code tip};
   * replaces each Enrol or Pend whose file would make the fleet invalid with a {@link Enrolment.Refused}.
   */
  List<FileChange> admit(FleetTree tip, Enrolment.Decision[] decisions, Instant now) throws IOException {
    var files = new LinkedHashMap<Integer, FileChange>();
    for (int i = 0; i < decisions.length; i++) {
      var claim = claimOf(decisions[i]);
      if (claim != null) {
        files.put(i, FileChange.put(DeviceFile.path(claim), DeviceFile.text(claim, now)));
      }
    }
    if (!files.isEmpty() && !check.newErrors(tip, List.copyOf(files.values())).isEmpty()) {
      oneByOne(tip, decisions, files);
    }
    var commit = new ArrayList<FileChange>();
    files.forEach((i, file) -> {
      if (decisions[i] instanceof Enrolment.Enrol) {
        commit.add(file);
      }
    });
    return commit;
  }

  /** Keeps the files that add no error to the fleet with those kept before them; refuses the others' claims. */
  private void oneByOne(FleetTree tip, Enrolment.Decision[] decisions, Map<Integer, FileChange> files)
      throws IOException {
    var kept = new ArrayList<FileChange>();
    for (var it = files.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      var trial = new ArrayList<>(kept);
      trial.add(entry.getValue());
      var added = check.newErrors(tip, trial);
      if (added.isEmpty()) {
        kept.add(entry.getValue());
      } else {
        decisions[entry.getKey()] = refusal(added.getFirst());
        it.remove();
      }
    }
  }

  /** A claim refused for the first error its Device file would add, said as the validator says it. */
  static Enrolment.Refused refusal(Problem error) {
    var field = error.field().isEmpty() ? "" : error.field() + ": ";
    return new Enrolment.Refused(400, "claim: its Device file would make the fleet invalid: " + error.file() + ": "
        + field + error.message() + "; ask an operator to fix the fleet or the claim token");
  }

  private static PendingClaim claimOf(Enrolment.Decision decision) {
    return switch (decision) {
      case Enrolment.Enrol enrol -> enrol.claim();
      case Enrolment.Pend pend -> pend.claim();
      default -> null;
    };
  }
}
