package dev.flotilla.reconcile;

import dev.flotilla.status.StatusBoard;
import dev.flotilla.model.ConditionStatus;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.model.StatusReport;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import dev.flotilla.publish.Published;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges computed at scrape time from what the reconciler serves and what devices last reported: devices by tenant,
 * channel and status, when each device last reported (one series per device, the only one), devices by agent
 * version, every rollout's phase, wave, per-wave counts and failure ratio, whether each tenant is held back, and
 * when the trust root and the first bundle expire. Reads only; never blocks a pass.
 */
public final class FleetGauges implements MultiCollector {
  static final int MAX_VERSIONS = 20;
  private final Reconciler reconciler;
  private final StatusBoard board;

  public FleetGauges(Reconciler reconciler, StatusBoard board) {
    this.reconciler = reconciler;
    this.board = board;
  }

  @Override
  public MetricSnapshots collect() {
    var out = MetricSnapshots.builder();
    devices(out);
    rollouts(out);
    tenants(out);
    expiry(out);
    return out.build();
  }

  private void devices(MetricSnapshots.Builder out) {
    var snapshot = reconciler.snapshot();
    var counts = new TreeMap<Labels, Integer>();
    var lastSeen = GaugeSnapshot.builder().name("flotilla_reconciler_device_last_seen_timestamp_seconds")
        .help("When each claimed device last reported, seconds since the epoch (the only per-device series)");
    var versions = new TreeMap<String, Integer>();
    var reports = board.all();
    if (snapshot != null) {
      for (var doc : snapshot.devices()) {
        var device = doc.resource();
        if (device.getSpec().getIdentity() == null) {
          continue;
        }
        var name = device.getMetadata().getName();
        var tenant = device.getMetadata().getTenant();
        var entry = reports.get(name);
        counts.merge(Labels.of("tenant", tenant, "channel", device.getSpec().getChannel().value(),
            "status", status(entry)), 1, Integer::sum);
        if (entry != null) {
          lastSeen.dataPoint(point(Labels.of("tenant", tenant, "device", name),
              entry.receivedAt().toEpochMilli() / 1000.0));
          versions.merge(agentVersion(entry.report(), versions), 1, Integer::sum);
        }
      }
    }
    var devices = GaugeSnapshot.builder().name("flotilla_reconciler_fleet_devices")
        .help("Claimed devices by tenant, channel and status (Ready, NotReady, Unreported)");
    counts.forEach((labels, n) -> devices.dataPoint(point(labels, n)));
    var agents = GaugeSnapshot.builder().name("flotilla_reconciler_agent_versions")
        .help("Reporting devices by the agent version they run (at most " + MAX_VERSIONS + ", then 'other')");
    versions.forEach((version, n) -> agents.dataPoint(point(Labels.of("version", version), n)));
    out.metricSnapshot(devices.build()).metricSnapshot(lastSeen.build()).metricSnapshot(agents.build());
  }

  /** The report's agent version as a label value: bounded in number, so a fleet of odd builds cannot grow it. */
  private static String agentVersion(StatusReport report, Map<String, Integer> seen) {
    var version = report.getAgentVersion() == null ? "unknown" : report.getAgentVersion();
    return seen.containsKey(version) || seen.size() < MAX_VERSIONS ? version : "other";
  }

  private void rollouts(MetricSnapshots.Builder out) {
    var phase = GaugeSnapshot.builder().name("flotilla_rollout_phase")
        .help("1 for the phase each rollout is in, 0 for the others");
    var wave = GaugeSnapshot.builder().name("flotilla_rollout_current_wave").help("Index of each rollout's current wave");
    var devices = GaugeSnapshot.builder().name("flotilla_rollout_wave_devices")
        .help("Devices of each started wave by result (succeeded, failed, pending)");
    var ratio = GaugeSnapshot.builder().name("flotilla_rollout_failure_ratio")
        .help("Failed share of each started wave");
    var result = reconciler.rollouts();
    if (result != null) {
      for (var view : result.rollouts()) {
        var state = view.state();
        var key = Labels.of("tenant", state.tenant(), "rollout", state.rollout());
        for (var p : RolloutPhase.values()) {
          phase.dataPoint(point(key.add("phase", p.value()), p == state.phase() ? 1 : 0));
        }
        wave.dataPoint(point(key, state.wave()));
        for (int i = 0; i < view.waves().size(); i++) {
          var counts = view.waves().get(i);
          var w = key.add("wave", state.waves().get(i).name());
          devices.dataPoint(point(w.add("result", "succeeded"), counts.succeeded()));
          devices.dataPoint(point(w.add("result", "failed"), counts.failed()));
          devices.dataPoint(point(w.add("result", "pending"), counts.pending()));
          ratio.dataPoint(point(w, counts.failureRatio()));
        }
      }
    }
    out.metricSnapshot(phase.build()).metricSnapshot(wave.build()).metricSnapshot(devices.build())
        .metricSnapshot(ratio.build());
  }

  /** Each tenant served or held back: whether its newest files are valid, and its last good commit's time. */
  private void tenants(MetricSnapshots.Builder out) {
    var valid = GaugeSnapshot.builder().name("flotilla_reconciler_tenant_valid")
        .help("1 when the tenant moved on to the newest commit served, 0 when its own files hold it back");
    var lastGood = GaugeSnapshot.builder().name("flotilla_reconciler_tenant_last_good_commit_timestamp_seconds")
        .help("Commit time of the last commit each tenant was served at");
    var status = reconciler.status();
    var snapshot = reconciler.snapshot();
    var tenants = new java.util.TreeSet<>(status.heldBack().keySet());
    if (snapshot != null) {
      snapshot.tenants().forEach(t -> tenants.add(t.resource().getMetadata().getName()));
    }
    for (var tenant : tenants) {
      var held = status.heldBack().get(tenant);
      var labels = Labels.of("tenant", tenant);
      valid.dataPoint(point(labels, held == null ? 1 : 0));
      var good = held == null ? status.good() : held.lastGood();
      if (good != null) {
        lastGood.dataPoint(point(labels, good.time().getEpochSecond()));
      }
    }
    out.metricSnapshot(valid.build()).metricSnapshot(lastGood.build());
  }

  /** When the trust root expires, and the first of the bundles served does (re-signed at half their lifetime). */
  private void expiry(MetricSnapshots.Builder out) {
    var root = GaugeSnapshot.builder().name("flotilla_reconciler_trust_root_expiry_timestamp_seconds")
        .help("When the trust root of the commit served expires; agents refuse everything after it");
    var snapshot = reconciler.snapshot();
    if (snapshot != null) {
      snapshot.trustRoot().ifPresent(r -> root.dataPoint(point(Labels.EMPTY,
          r.resource().getSigned().getExpires().toEpochSecond())));
    }
    var bundles = GaugeSnapshot.builder().name("flotilla_reconciler_bundle_earliest_expiry_timestamp_seconds")
        .help("When the first of the bundles served expires; it is signed again at half its lifetime");
    reconciler.publisher().all().values().stream().map(Published::expiresAt).min(Instant::compareTo)
        .ifPresent(first -> bundles.dataPoint(point(Labels.EMPTY, first.getEpochSecond())));
    out.metricSnapshot(root.build()).metricSnapshot(bundles.build());
  }

  private static String status(StatusBoard.Entry entry) {
    if (entry == null) {
      return "Unreported";
    }
    return ready(entry.report()) ? "Ready" : "NotReady";
  }

  private static boolean ready(StatusReport report) {
    return report.getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && c.getStatus() == ConditionStatus.TRUE);
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
