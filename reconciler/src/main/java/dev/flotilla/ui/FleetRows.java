package dev.flotilla.ui;

import dev.flotilla.access.OperatorScope;
import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.Device;
import dev.flotilla.model.StatusReport;
import dev.flotilla.schema.Durations;
import dev.flotilla.status.StatusBoard;
import dev.flotilla.ui.Views.DeviceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fleet table: one {@link DeviceRow} per Device file of the served commit, from its file, the bundle served to
 * it and its last report. A device is offline after three poll intervals without a report. Thread-safe; reads only.
 */
final class FleetRows {
  static final Comparator<DeviceRow> ORDER = Comparator.comparing(DeviceRow::state)
      .thenComparing(DeviceRow::tenant).thenComparing(DeviceRow::name);
  private static final Duration DEFAULT_POLL = Duration.ofSeconds(60);
  private final BoardSource source;
  private volatile Devices devices = new Devices(null, Map.of(), DEFAULT_POLL.multipliedBy(3));

  /** The Device files of one snapshot by name, and how long without a report makes a device offline. */
  private record Devices(FleetSnapshot snapshot, Map<String, Document<Device>> byName, Duration offlineAfter) {}

  FleetRows(BoardSource source) {
    this.source = source;
  }

  /** Every device {@code scope} sees, worst state first, then by tenant and name. */
  List<DeviceRow> rows(OperatorScope scope) {
    var now = source.clock().instant();
    var current = devices();
    var reports = source.statuses();
    return scope.filter(current.byName().values().stream(), Document::tenant)
        .map(doc -> row(doc, reports.get(doc.resource().getMetadata().getName()), now, current.offlineAfter()))
        .sorted(ORDER).toList();
  }

  /** The row of {@code name} with {@code entry} as its last report; null when the served commit has no such device. */
  DeviceRow row(String name, StatusBoard.Entry entry) {
    var current = devices();
    var doc = current.byName().get(name);
    return doc == null ? null : row(doc, entry, source.clock().instant(), current.offlineAfter());
  }

  Document<Device> device(String name) {
    return devices().byName().get(name);
  }

  private DeviceRow row(Document<Device> doc, StatusBoard.Entry entry, Instant now, Duration offlineAfter) {
    var device = doc.resource();
    var name = device.getMetadata().getName();
    var bundle = source.reconciler().publisher().get(name);
    long published = bundle == null ? 0 : bundle.version();
    var state = DeviceState.of(device.getSpec().getIdentity() != null, published, entry, now, offlineAfter);
    var report = entry == null ? null : entry.report();
    long reported = report == null || report.getBundleVersion() == null ? 0 : report.getBundleVersion();
    return new DeviceRow(name, doc.tenant(), device.getSpec().getChannel().value(), state, published, reported,
        entry == null ? null : entry.receivedAt(), report);
  }

  static String apps(StatusReport report) {
    return report.getApps().stream().map(a -> a.getName() + " " + a.getVersion()).collect(Collectors.joining(", "));
  }

  /** The first thing wrong, in words: a failing condition, a failed app, or a resource that does not comply. */
  static String problem(StatusReport report) {
    for (var condition : report.getConditions()) {
      var bad = "Ready".equals(condition.getType()) ? condition.getStatus() == ConditionStatus.FALSE
          : !"Reconciling".equals(condition.getType()) && condition.getStatus() == ConditionStatus.TRUE;
      if (bad) {
        return condition.getReason() + (condition.getMessage() == null ? "" : ": " + condition.getMessage());
      }
    }
    for (var app : report.getApps()) {
      if ("Failed".equals(app.getHealth())) {
        return "app " + app.getName() + " failed" + (app.getMessage() == null ? "" : ": " + app.getMessage());
      }
    }
    return report.getResources().stream().filter(r -> !Boolean.TRUE.equals(r.getCompliant())).findFirst()
        .map(r -> r.getKind() + " " + r.getName() + (r.getMessage() == null ? "" : ": " + r.getMessage()))
        .orElse("");
  }

  private Devices devices() {
    var snapshot = source.reconciler().snapshot();
    var current = devices;
    if (current.snapshot() == snapshot) {
      return current;
    }
    var byName = new HashMap<String, Document<Device>>();
    var poll = DEFAULT_POLL;
    if (snapshot != null) {
      snapshot.devices().forEach(doc -> byName.put(doc.resource().getMetadata().getName(), doc));
      var defaults = snapshot.fleet().map(f -> f.resource().getSpec().getDefaults()).orElse(null);
      if (defaults != null && defaults.getPollInterval() != null) {
        poll = Durations.parse(defaults.getPollInterval());
      }
    }
    devices = new Devices(snapshot, Map.copyOf(byName), poll.multipliedBy(3));
    return devices;
  }
}
