package dev.flotilla.server;

import dev.flotilla.history.Presence;
import dev.flotilla.reconcile.Reconciler;
import java.time.Duration;
import java.util.function.Function;

/** What {@link Presence} needs from the reconciler: each served device's tenant and the fleet's poll interval. */
final class PresenceFacts {
  private PresenceFacts() {}

  static Function<String, Presence.Device> of(Reconciler reconciler) {
    return name -> {
      var served = reconciler.served();
      var key = served == null ? null : served.devices().get(name);
      return key == null ? null : new Presence.Device(key.tenant(), pollInterval(reconciler));
    };
  }

  private static Duration pollInterval(Reconciler reconciler) {
    var snapshot = reconciler.snapshot();
    var fleet = snapshot == null ? null : snapshot.fleet().orElse(null);
    return Presence.pollInterval(fleet == null ? null : fleet.resource());
  }
}
