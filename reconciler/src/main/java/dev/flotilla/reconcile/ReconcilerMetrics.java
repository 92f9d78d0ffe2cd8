package dev.flotilla.reconcile;

import dev.flotilla.publish.Publisher;
import dev.flotilla.build.BuildInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The reconciler's Prometheus metrics, in a registry of its own (so tests can run several reconcilers), with the
 * JVM's and the process's own ({@code jvm_*}, {@code process_*}). {@link FleetGauges} adds those computed at scrape
 * time.
 */
public final class ReconcilerMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge commitValid = Gauge.builder().name("flotilla_reconciler_commit_valid")
      .help("1 when the newest commit was served, 0 when it was refused and devices keep the last good bundles")
      .register(registry);
  private final Gauge lastGood = Gauge.builder().name("flotilla_reconciler_last_good_commit_timestamp_seconds")
      .help("Commit time of the commit being served").register(registry);
  private final Gauge lastPass = Gauge.builder().name("flotilla_reconciler_last_pass_timestamp_seconds")
      .help("When the last reconcile pass ended, whatever its result").register(registry);
  private final Counter passes = Counter.builder().name("flotilla_reconciler_reconcile_total")
      .help("Reconcile passes by result reason").labelNames("reason").register(registry);
  private final Histogram duration = Histogram.builder().name("flotilla_reconciler_reconcile_duration_seconds")
      .help("Time of one reconcile pass: fetch, validate, render, sign, publish").register(registry);
  private final Counter signed = Counter.builder().name("flotilla_reconciler_bundles_signed_total")
      .help("Bundles signed and published").register(registry);
  private final Gauge devices = Gauge.builder().name("flotilla_reconciler_devices")
      .help("Claimed devices with a bundle").register(registry);
  private final Histogram render = Histogram.builder().name("flotilla_reconciler_render_duration_seconds")
      .help("Time to render every claimed device's desired state in one pass").register(registry);
  private final Counter claims = Counter.builder().name("flotilla_reconciler_claims_total")
      .help("Device claims by result").labelNames("result").register(registry);
  private final Counter requests = Counter.builder().name("flotilla_reconciler_http_requests_total")
      .help("API requests by route and status code").labelNames("route", "code").register(registry);
  private final Info build = Info.builder().name("flotilla_build_info")
      .help("The version and commit of this build (--version), always 1").labelNames("version", "commit")
      .register(registry);

  public ReconcilerMetrics() {
    build.addLabelValues(BuildInfo.current().version(), BuildInfo.current().commit());
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  void reconciled(FleetStatus status, double seconds, java.time.Instant at) {
    passes.labelValues(status.reason()).inc();
    duration.observe(seconds);
    lastPass.set(at.toEpochMilli() / 1000.0);
    commitValid.set(status.ready() ? 1 : 0);
    if (status.good() != null) {
      lastGood.set(status.good().time().getEpochSecond());
    }
  }

  void published(Publisher.Result result, int rendered) {
    signed.inc(result.changed().size());
    devices.set(rendered);
  }

  void rendered(double seconds) {
    render.observe(seconds);
  }

  /** Counts one claim by its result, such as 'approved', 'pending' or 'refused'. */
  public void claimed(String result) {
    claims.labelValues(result).inc();
  }

  public void request(String route, int code) {
    requests.labelValues(route, Integer.toString(code)).inc();
  }
}
