package dev.flotilla.report;

import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One device's history read as down episodes: the device is down while it is offline (the reconciler's
 * {@code offline} … {@code online}) or failing (a receipt whose outcome is a failure, until a receipt that
 * converged). Also counts applies and failures. Pure.
 */
final class Episodes {
  /** Receipt outcomes (normalised: lowercase, no separators) that leave the device failing. */
  private static final Set<String> FAILING = Set.of("applyfailed", "systemdunavailable", "storefailed",
      "healthfailed", "rolledback", "rolledbacklocally");
  /** Outcomes after which the device runs its bundle. */
  private static final Set<String> CONVERGED = Set.of("applied", "uptodate", "driftcorrected", "recovered", "drifted",
      "driftreported");
  private static final Set<String> APPLIES = Set.of("applied", "driftcorrected", "recovered");

  /** A time the device was down, {@code end} null while it still is. */
  record Episode(Instant start, Instant end) {}

  /** The episodes and counts of one device; episodes not clipped to any period. */
  record Result(List<Episode> episodes, int applies, int failures) {}

  private Episodes() {
  }

  /**
   * Reads {@code events} (one device's, oldest first). Applies and failures are counted for receipts in
   * [{@code from}, {@code to}).
   */
  static Result of(List<HistoryEvent> events, Instant from, Instant to) {
    var episodes = new ArrayList<Episode>();
    boolean offline = false;
    boolean failing = false;
    Instant downSince = null;
    int applies = 0;
    int failures = 0;
    for (var event : events) {
      if (!event.at().isBefore(to)) {
        break;
      }
      switch (event.kind()) {
        case OFFLINE -> offline = true;
        case ONLINE -> offline = false;
        case RECEIPT -> {
          var outcome = normalise(event.detail().path("outcome").asText(""));
          boolean counted = !event.at().isBefore(from);
          if (FAILING.contains(outcome) || outcome.startsWith("refused")) {
            failing = FAILING.contains(outcome) || failing;
            failures += counted ? 1 : 0;
          } else if (CONVERGED.contains(outcome)) {
            failing = false;
            applies += counted && APPLIES.contains(outcome) ? 1 : 0;
          }
        }
        default -> { }
      }
      boolean down = offline || failing;
      if (down && downSince == null) {
        downSince = event.at();
      } else if (!down && downSince != null) {
        episodes.add(new Episode(downSince, event.at()));
        downSince = null;
      }
    }
    if (downSince != null) {
      episodes.add(new Episode(downSince, null));
    }
    return new Result(episodes, applies, failures);
  }

  /** {@code ApplyFailed}, {@code APPLY_FAILED} and {@code apply-failed} alike. */
  static String normalise(String outcome) {
    return outcome.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT);
  }

  /** Whether {@code kind} is one this reading uses; others need not be fetched. */
  static boolean uses(EventKind kind) {
    return kind == EventKind.OFFLINE || kind == EventKind.ONLINE || kind == EventKind.RECEIPT;
  }
}
