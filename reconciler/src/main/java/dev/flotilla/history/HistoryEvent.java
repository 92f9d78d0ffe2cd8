package dev.flotilla.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One transition in the fleet's history: a receipt, a device going offline or coming back, a rollout decision, a
 * claim, a commit accepted or refused. Heartbeats are never events.
 *
 * @param at when the reconciler decided or received it
 * @param tenant the tenant it belongs to; null for fleet-wide events (a commit)
 * @param device the device it concerns; null when it concerns no single device
 * @param kind what happened
 * @param commit the fleet commit it came from or concerns; null when none
 * @param detail the kind's own fields, as data (never text to parse)
 */
public record HistoryEvent(Instant at, String tenant, String device, EventKind kind, String commit,
    ObjectNode detail) {
  public HistoryEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }
}
