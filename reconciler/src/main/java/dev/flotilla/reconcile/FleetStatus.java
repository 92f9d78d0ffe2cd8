package dev.flotilla.reconcile;

import dev.flotilla.fleet.Problem;
import dev.flotilla.git.Revision;
import java.time.Instant;
import java.util.List;

/**
 * Where the reconciler stands: the last commit it served ({@code good}), the last one it saw, and one Ready
 * condition with a CamelCase reason. When the newest commit was refused, {@code problems} says why and devices keep
 * the bundles of {@code good}.
 */
public record FleetStatus(Revision good, Revision seen, boolean ready, String reason, String message,
    Instant since, List<Problem> problems) {

  public static FleetStatus starting(Instant now) {
    return new FleetStatus(null, null, false, "Starting", "no commit fetched yet", now, List.of());
  }
}
