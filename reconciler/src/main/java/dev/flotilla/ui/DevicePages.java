package dev.flotilla.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.access.OperatorScope;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.preview.FleetPlan;
import dev.flotilla.publish.Published;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustException;
import dev.flotilla.ui.Views.DevicePage;
import dev.flotilla.ui.Views.DeviceRollout;
import dev.flotilla.ui.Views.Failing;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The device page: its file, the bundle served to it and the plan of that bundle on an empty host (what the agent
 * would do), its last report and receipt, its history and its rollouts. Empty when the scope does not see the
 * device, so another tenant's device is indistinguishable from none. Reads only.
 */
final class DevicePages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BoardSource source;
  private final FleetRows rows;
  private final Pages pages;

  DevicePages(BoardSource source, FleetRows rows, Pages pages) {
    this.source = source;
    this.rows = rows;
    this.pages = pages;
  }

  Optional<DevicePage> device(OperatorScope scope, String name) {
    var doc = rows.device(name);
    if (doc == null || !scope.sees(doc.tenant())) {
      return Optional.empty();
    }
    var entry = source.statuses().get(name);
    var row = rows.row(name, entry);
    var spec = doc.resource().getSpec();
    var published = source.reconciler().publisher().get(name);
    var report = entry == null ? null : entry.report();
    var conditions = report == null ? List.<String>of() : report.getConditions().stream()
        .map(c -> c.getType() + " " + c.getStatus().value() + " " + c.getReason()
            + (c.getMessage() == null ? "" : ": " + c.getMessage())).toList();
    var failing = report == null ? List.<Failing>of() : report.getResources().stream()
        .filter(r -> !Boolean.TRUE.equals(r.getCompliant()))
        .map(r -> new Failing(r.getKind(), r.getName(), r.getMessage() == null ? "" : r.getMessage())).toList();
    var receipts = source.history().query(new HistoryQuery(null, name, Set.of(EventKind.RECEIPT), null, null, 1));
    var history = source.history().query(HistoryQuery.ofDevice(name, 100));
    var labels = doc.resource().getMetadata().getLabels();
    return Optional.of(new DevicePage(pages.frame(name, "fleet", scope), row,
        labels == null ? java.util.Map.of() : new java.util.TreeMap<>(labels),
        spec.getLocation() == null ? "" : String.valueOf(spec.getLocation().getSite()),
        spec.getIdentity() == null ? "" : spec.getIdentity().getHash(), keyId(spec.getPublicKey()),
        Boolean.TRUE.equals(spec.getCordoned()), published == null ? "" : published.sourceCommit(),
        published == null ? null : published.issuedAt(), conditions, failing,
        report == null ? List.of() : report.getJournal(),
        receipts.isEmpty() ? null : ScopedHistory.line(receipts.getFirst()),
        receipts.isEmpty() ? "" : receipts.getFirst().detail().toPrettyString(), ScopedHistory.lines(history),
        rollouts(name), plan(published)));
  }

  private List<DeviceRollout> rollouts(String device) {
    var result = source.reconciler().rollouts();
    if (result == null) {
      return List.of();
    }
    var found = new java.util.ArrayList<DeviceRollout>();
    for (var view : result.rollouts()) {
      var waves = view.state().waves();
      for (var wave : waves) {
        wave.devices().stream().filter(m -> m.device().equals(device)).findFirst().ifPresent(m -> found.add(
            new DeviceRollout(view.plan().key(), view.state().phase().value(), wave.name(), m.updated())));
      }
      if (waves.stream().noneMatch(w -> w.devices().stream().anyMatch(m -> m.device().equals(device)))) {
        view.plan().waves().stream().filter(w -> w.devices().contains(device)).findFirst().ifPresent(w -> found.add(
            new DeviceRollout(view.plan().key(), view.state().phase().value(), w.name(), false)));
      }
    }
    return found;
  }

  /** The plan of the served bundle on an empty host, one line per change; empty when none is served. */
  static List<String> plan(Published published) {
    if (published == null) {
      return List.of();
    }
    try {
      var envelope = JSON.readTree(published.bundle()).path("dsseEnvelope");
      var payload = Base64.getDecoder().decode(envelope.path("payload").asText());
      return FleetPlan.plan(null, BundlePayloads.decode(new ByteArrayInputStream(payload))).lines();
    } catch (java.io.IOException | TrustException | IllegalArgumentException e) {
      return List.of("read bundle version " + published.version() + ": " + e.getMessage());
    }
  }

  private static String keyId(String pem) {
    if (pem == null) {
      return "";
    }
    return Keys.refusal(pem) != null ? "unreadable" : Keys.keyId(Keys.parsePublicPem(pem));
  }
}
