package dev.flotilla.agent.metrics;

import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.build.BuildInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's Prometheus metrics, in a registry of its own (so tests can run several agents in one JVM).
 * Thread-safe. Metric names and labels:
 * <ul>
 *   <li>{@code flotilla_agent_resource_compliant{kind,name}} 1 when the resource matches the bundle, 0 when it
 *       differs (drift in mode {@code report}, or a failed change)
 *   <li>{@code flotilla_agent_drift_events_total{kind,mode}} drifts found while the bundle was unchanged
 *   <li>{@code flotilla_agent_bundle_version} the version of the bundle applied
 *   <li>{@code flotilla_agent_last_apply_timestamp_seconds}, {@code flotilla_agent_apply_duration_seconds}
 *   <li>{@code flotilla_agent_app_info{name,version}} 1 per installed app version
 *   <li>{@code flotilla_agent_bundles_refused_total{reason}} bundles refused, by refusal reason ({@code Plan} for a
 *       plan the host refuses, otherwise the failed check: {@code BadSignature})
 *   <li>{@code flotilla_agent_passes_total{outcome}} passes by {@link PassOutcome}, lower_snake_case
 *   <li>{@code flotilla_agent_resource_corrections_total{kind,name}} drifts of each resource in mode {@code enforce}
 *       (corrected); a resource that keeps coming back is a drift storm
 *   <li>{@code flotilla_agent_bundle_expiry_timestamp_seconds} when the bundle applied expires (the agent then
 *       refuses to keep it: a device that cannot reach the reconciler freezes)
 *   <li>{@code flotilla_build_info{version,commit}} 1, for this build
 *   <li>the JVM's and the process's own ({@code jvm_*}, {@code process_*}: memory, threads, GC, CPU, open files)
 * </ul>
 */
public final class AgentMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge compliant = Gauge.builder().name("flotilla_agent_resource_compliant")
      .help("1 when the resource matches the applied bundle, 0 when it differs").labelNames("kind", "name")
      .register(registry);
  private final Counter drift = Counter.builder().name("flotilla_agent_drift_events_total")
      .help("Drifts found while the bundle was unchanged, by resource kind and drift mode").labelNames("kind", "mode")
      .register(registry);
  private final Gauge version = Gauge.builder().name("flotilla_agent_bundle_version")
      .help("Version of the bundle applied").register(registry);
  private final Gauge lastApply = Gauge.builder().name("flotilla_agent_last_apply_timestamp_seconds")
      .help("When the agent last finished a pass that wrote to the host").register(registry);
  private final Histogram applyDuration = Histogram.builder().name("flotilla_agent_apply_duration_seconds")
      .help("Time of one apply: observe, plan and apply").register(registry);
  private final Info apps = Info.builder().name("flotilla_agent_app_info")
      .help("The app versions installed, one series per app").labelNames("name", "version").register(registry);
  private final Counter refused = Counter.builder().name("flotilla_agent_bundles_refused_total")
      .help("Bundles refused and not applied, by reason").labelNames("reason").register(registry);
  private final Counter passes = Counter.builder().name("flotilla_agent_passes_total")
      .help("Agent passes, by how they ended").labelNames("outcome").register(registry);
  private final Counter corrections = Counter.builder().name("flotilla_agent_resource_corrections_total")
      .help("Drifts of each resource in drift mode enforce, each corrected").labelNames("kind", "name")
      .register(registry);
  private final Gauge expiry = Gauge.builder().name("flotilla_agent_bundle_expiry_timestamp_seconds")
      .help("When the bundle applied expires, seconds since the epoch").register(registry);
  private final Info build = Info.builder().name("flotilla_build_info")
      .help("The version and commit of this build (--version), always 1").labelNames("version", "commit")
      .register(registry);
  private final Set<String> resources = new HashSet<>();
  private final Map<String, String> appVersions = new HashMap<>();

  public AgentMetrics() {
    build.addLabelValues(BuildInfo.current().version(), BuildInfo.current().commit());
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Sets the compliance of exactly these resources (keys {@code kind:name}); resources no longer declared are
   * dropped from the metric.
   */
  public synchronized void compliance(Map<String, Boolean> byResourceKey) {
    for (var gone : resources) {
      if (!byResourceKey.containsKey(gone)) {
        var parts = split(gone);
        compliant.remove(parts[0], parts[1]);
      }
    }
    resources.clear();
    byResourceKey.forEach((key, ok) -> {
      var parts = split(key);
      compliant.labelValues(parts[0], parts[1]).set(ok ? 1 : 0);
      resources.add(key);
    });
  }

  /** Counts a drift of resource {@code kind:name}; in mode {@code enforce} also as a correction of it. */
  public void drift(String kind, String name, String mode) {
    drift.labelValues(kind, mode).inc();
    if ("enforce".equals(mode)) {
      corrections.labelValues(kind, name).inc();
    }
  }

  /** Sets when the bundle applied expires. */
  public void bundleExpires(Instant at) {
    expiry.set(at.getEpochSecond());
  }

  public void applied(long bundleVersion, double seconds, Instant at, boolean wrote) {
    version.set(bundleVersion);
    applyDuration.observe(seconds);
    if (wrote) {
      lastApply.set(at.toEpochMilli() / 1000.0);
    }
  }

  /** Counts a pass by its outcome, and a refused bundle by why it was refused. */
  public void pass(Pass pass) {
    passes.labelValues(pass.outcome().name().toLowerCase(Locale.ROOT)).inc();
    switch (pass.outcome()) {
      case REFUSED_PLAN -> refused.labelValues("Plan").inc();
      case REFUSED_BUNDLE -> refused.labelValues(pass.refusal().reason()).inc();
      default -> { }
    }
  }

  /** Records that app {@code name} now runs {@code appVersion}; null removes it. For the apps service. */
  public synchronized void app(String name, String appVersion) {
    var old = appVersion == null ? appVersions.remove(name) : appVersions.put(name, appVersion);
    if (old != null) {
      apps.remove(name, old);
    }
    if (appVersion != null) {
      apps.addLabelValues(name, appVersion);
    }
  }

  /** Sets exactly these apps' versions (name to version); apps not listed are dropped from the metric. */
  public synchronized void apps(Map<String, String> byName) {
    Set.copyOf(appVersions.keySet()).stream().filter(name -> !byName.containsKey(name)).forEach(name -> app(name, null));
    byName.forEach((name, v) -> {
      if (!v.equals(appVersions.get(name))) {
        app(name, v);
      }
    });
  }

  private static String[] split(String resourceKey) {
    var colon = resourceKey.indexOf(':');
    return colon < 0 ? new String[] {resourceKey, ""}
        : new String[] {resourceKey.substring(0, colon), resourceKey.substring(colon + 1)};
  }
}
