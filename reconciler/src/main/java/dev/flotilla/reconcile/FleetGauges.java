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
import java.time.Clock;
import java.time.Duration;
import java.util.TreeMap;

/**
 * Gauges computed at scrape time from what the reconciler serves and what devices last reported: devices by tenant,
 * channel and status, each device's heartbeat age, every rollout's phase, wave, per-wave counts and failure ratio,
 * and whether each tenant is held back. Reads only; never blocks a pass.
 */
public final class FleetGauges implements MultiCollector {
  private final Reconciler reconciler;
  private final StatusBoard board;
  private final Clock clock;

  public FleetGauges(Reconciler reconciler, StatusBoard board, Clock clock) {
    this.reconciler = reconciler;
    this.board = board;
    this.clock = clock;
  }

  @Override
  public MetricSnapshots collect() {
    var out = MetricSnapshots.builder();
    devices(out);
    rollouts(out);
    tenants(out);
    return out.build();
  }

  private void devices(MetricSnapshots.Builder out) {
    var snapshot = reconciler.snapshot();
    var counts = new TreeMap<Labels, Integer>();
    var age = GaugeSnapshot.builder().name("flotilla_reconciler_device_heartbeat_age_seconds")
        .help("Seconds since each claimed device last reported");
    var reports = board.all();
    var now = clock.instant();
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
          age.dataPoint(point(Labels.of("tenant", tenant, "device", name),
              Duration.between(entry.receivedAt(), now).toMillis() / 1000.0));
        }
      }
    }
    var devices = GaugeSnapshot.builder().name("flotilla_reconciler_fleet_devices")
        .help("Claimed devices by tenant, channel and status (Ready, NotReady, Unreported)");
    counts.forEach((labels, n) -> devices.dataPoint(point(labels, n)));
    out.metricSnapshot(devices.build()).metricSnapshot(age.build());
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
