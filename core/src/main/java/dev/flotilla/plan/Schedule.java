package dev.flotilla.plan;

import dev.flotilla.model.BundlePayload;
import dev.flotilla.window.MaintenanceWindows;
import java.time.Instant;
import java.util.Set;

/**
 * When disruptive changes may start, as the {@link Planner} needs it: the device's maintenance windows, the instant
 * to plan at, and the resources an urgent policy set. An immutable value; the planner reads no clock.
 *
 * @param windows the device's maintenance windows; none means always
 * @param now the instant the plan is for
 * @param urgent resource keys ({@code unit:pos.service}) whose changes never wait
 */
public record Schedule(MaintenanceWindows windows, Instant now, Set<String> urgent) {
  /** Nothing waits: no windows. */
  public static final Schedule ALWAYS = new Schedule(MaintenanceWindows.ALWAYS, Instant.EPOCH, Set.of());

  public Schedule {
    urgent = urgent == null ? Set.of() : Set.copyOf(urgent);
  }

  /** The schedule a bundle sets for its device at {@code now}. */
  public static Schedule of(BundlePayload bundle, Instant now) {
    return new Schedule(new MaintenanceWindows(bundle.getMaintenanceWindows()), now, bundle.getUrgent());
  }
}
