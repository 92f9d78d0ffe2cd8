package dev.flotilla.reconcile;

import dev.flotilla.schema.Problem;
import dev.flotilla.git.Revision;
import java.util.Map;
import java.util.stream.Collectors;

/** How held-back tenants are told in the log and in the status message. */
final class HeldBackLog {
  private HeldBackLog() {}

  /**
   * Logs a tenant newly held back, or whose problems changed, as a warning naming every file and line; a tenant
   * no longer held back as moving on. Logs nothing when nothing changed, so a tenant is not logged on every pass.
   */
  static void changed(System.Logger log, Map<String, FleetStatus.HeldBack> before,
      Map<String, FleetStatus.HeldBack> after, Revision revision) {
    after.forEach((tenant, held) -> {
      var previous = before.get(tenant);
      if (previous == null || !previous.problems().equals(held.problems())) {
        log.log(System.Logger.Level.WARNING, "hold back tenant '" + tenant + "' at commit " + revision.shortId()
            + ": " + held.problems().size() + " problem(s) in its files; " + keeps(held) + "; fix and commit:"
            + held.problems().stream().map(p -> "\n  " + p).collect(Collectors.joining()));
      }
    });
    before.keySet().stream().filter(tenant -> !after.containsKey(tenant)).forEach(tenant -> log.log(
        System.Logger.Level.INFO, "tenant '" + tenant + "' moves on to commit " + revision.shortId()
            + ": its files are valid again"));
  }

  /** For the status message: each held-back tenant with since when and its first problem; empty when none. */
  static String summary(Map<String, FleetStatus.HeldBack> held) {
    if (held.isEmpty()) {
      return "";
    }
    return "; " + held.size() + " tenant(s) held back: " + held.entrySet().stream()
        .map(e -> "'" + e.getKey() + "' since commit " + e.getValue().since().shortId() + " ("
            + e.getValue().problems().size() + " problem(s), first: " + first(e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }

  private static Problem first(FleetStatus.HeldBack held) {
    return held.problems().getFirst();
  }

  private static String keeps(FleetStatus.HeldBack held) {
    return held.lastGood() == null ? "no commit was served to it since the reconciler started"
        : "its devices keep the bundles of commit " + held.lastGood().shortId();
  }
}
