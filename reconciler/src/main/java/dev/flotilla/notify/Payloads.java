package dev.flotilla.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.model.Webhook;
import java.io.IOException;

/**
 * The bodies a webhook receives, built as JSON trees (never pasted text): Flotilla's own generic event, an
 * Alertmanager {@code /api/v2/alerts} array, or a Slack incoming-webhook message. Pure.
 */
final class Payloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {
  }

  static byte[] of(Webhook.Format format, HistoryEvent event, String fleet) {
    var body = switch (format) {
      case GENERIC -> generic(event, fleet);
      case ALERTMANAGER -> alertmanager(event, fleet);
      case SLACK -> slack(event, fleet);
    };
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("write " + format + " payload: " + e.getMessage(), e);
    }
  }

  /** {@code {"fleet", "kind", "at", "tenant", "device", "commit", "detail"}}. */
  static ObjectNode generic(HistoryEvent event, String fleet) {
    var body = JSON.createObjectNode();
    body.put("fleet", fleet);
    body.put("kind", event.kind().wireName());
    body.put("at", event.at().toString());
    body.put("tenant", event.tenant());
    body.put("device", event.device());
    body.put("commit", event.commit());
    body.set("detail", event.detail());
    return body;
  }

  /**
   * One alert: labels name the fleet, kind, tenant and device; it starts at the event. An event that says something
   * is well again (a device back online, a commit accepted) is sent as the alert it ends (same labels, with
   * {@code endsAt}), which is how Alertmanager resolves an alert.
   */
  static ArrayNode alertmanager(HistoryEvent event, String fleet) {
    var alert = JSON.createObjectNode();
    var labels = alert.putObject("labels");
    var alerting = resolved(event.kind());
    labels.put("alertname", "Flotilla" + camel((alerting == null ? event.kind() : alerting).wireName()));
    labels.put("fleet", fleet);
    labels.put("severity", severity(alerting == null ? event.kind() : alerting));
    if (event.tenant() != null) {
      labels.put("tenant", event.tenant());
    }
    if (event.device() != null) {
      labels.put("device", event.device());
    }
    alert.putObject("annotations").put("summary", summary(event));
    alert.put("startsAt", event.at().toString());
    if (alerting != null) {
      alert.put("endsAt", event.at().toString());
    }
    return JSON.createArrayNode().add(alert);
  }

  static ObjectNode slack(HistoryEvent event, String fleet) {
    var body = JSON.createObjectNode();
    body.put("text", "[" + fleet + "] " + summary(event));
    return body;
  }

  /** One line a person reads: what happened, to what, from which commit. */
  static String summary(HistoryEvent event) {
    var text = new StringBuilder(event.kind().wireName());
    if (event.device() != null) {
      text.append(": device ").append(event.tenant()).append('/').append(event.device());
    } else if (event.tenant() != null) {
      text.append(": tenant ").append(event.tenant());
    }
    var message = event.detail().path("message").asText("");
    if (!message.isEmpty()) {
      text.append(" - ").append(message);
    }
    if (event.commit() != null) {
      text.append(" (commit ").append(event.commit(), 0, Math.min(12, event.commit().length())).append(')');
    }
    return text.toString();
  }

  private static String severity(EventKind kind) {
    return switch (kind) {
      case OFFLINE, COMMIT_REFUSED -> "warning";
      case ROLLOUT -> "info";
      default -> "none";
    };
  }

  /** The kind whose alert {@code kind} ends, or null when it ends none. */
  private static EventKind resolved(EventKind kind) {
    return switch (kind) {
      case ONLINE -> EventKind.OFFLINE;
      case COMMIT_ACCEPTED -> EventKind.COMMIT_REFUSED;
      default -> null;
    };
  }

  private static String camel(String wireName) {
    var out = new StringBuilder();
    for (var part : wireName.split("-")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
