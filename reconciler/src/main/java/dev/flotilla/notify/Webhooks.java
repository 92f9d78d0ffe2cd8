package dev.flotilla.notify;

import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.model.Webhook;
import dev.flotilla.model.WebhookEvent;
import java.util.List;
import java.util.Set;

/** The webhooks of a fleet's {@code spec.notifications}, and which of them an event goes to. Pure. */
public final class Webhooks {
  /** What a webhook receives when it names no events. */
  static final Set<EventKind> DEFAULT_EVENTS = Set.of(EventKind.ROLLOUT, EventKind.COMMIT_REFUSED, EventKind.OFFLINE);

  private Webhooks() {
  }

  /** The webhooks {@code snapshot}'s fleet.yaml lists; none without a fleet file. */
  public static List<Webhook> of(FleetSnapshot snapshot) {
    return snapshot == null || snapshot.fleet().isEmpty() ? List.of()
        : List.copyOf(snapshot.fleet().get().resource().getSpec().getNotifications());
  }

  /** Whether {@code webhook} wants {@code event}: its kind is listed, and its tenant too when tenants are. */
  static boolean wants(Webhook webhook, HistoryEvent event) {
    var kinds = webhook.getEvents().isEmpty() ? DEFAULT_EVENTS
        : webhook.getEvents().stream().map(WebhookEvent::value).map(EventKind::fromWireName)
            .collect(java.util.stream.Collectors.toSet());
    return kinds.contains(event.kind())
        && (webhook.getTenants().isEmpty() || event.tenant() == null || webhook.getTenants().contains(event.tenant()));
  }
}
