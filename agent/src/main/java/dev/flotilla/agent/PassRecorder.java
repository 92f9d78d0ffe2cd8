package dev.flotilla.agent;

import dev.flotilla.agent.Passes.Trigger;
import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.drift.Drift;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.ObservedState;
import dev.flotilla.plan.Plan;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.model.BundlePayload;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The status step of a pass: records what an apply wrote (the inventory and history in the state database), the
 * drift found, the metrics, and sends the status report. Not thread-safe: the agent's loop owns it.
 */
final class PassRecorder {
  /** A bundle's plan with what it was planned from; {@code started} is when observing began (nanoTime). */
  record Planned(BundlePayload payload, Inventory inventory, ObservedState observed, Plan plan, long started) {}

  private final AgentSettings settings;
  private final AgentState state;
  private final BundleClient client;
  private final AgentMetrics metrics;
  private final Consumer<String> log;
  private final Clock clock;

  PassRecorder(AgentSettings settings, AgentState state, BundleClient client, AgentMetrics metrics,
      Consumer<String> log, Clock clock) {
    this.settings = settings;
    this.state = state;
    this.client = client;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
  }

  /** Records the drift {@code planned} shows: in the state database, the metrics and one log line each. */
  void drift(Planned planned) throws IOException {
    for (var drift : Drift.of(planned.plan(), planned.observed())) {
      state.recordDrift(drift.kind(), drift.name(), drift.mode(), drift.expected(), drift.actual(), clock.instant());
      metrics.drift(drift.kind(), drift.name(), drift.mode());
      log.accept(drift.line());
    }
  }

  /** Records an apply of {@code toApply} (part of {@code planned}) and its metrics; the pass it makes. */
  Pass applied(Planned planned, Trigger trigger, Plan toApply, ApplyResult applied) throws IOException {
    var payload = planned.payload();
    var observed = planned.observed();
    if (!toApply.isEmpty()) {
      // a held change wrote nothing: its resource stays owned (or not) as before
      var declared = Inventory.declaredBy(payload.getState())
          .holding(planned.inventory(), planned.plan().held().keySet());
      // without systemd no unit file or app was planned: keep owning the old ones, claim no new ones
      state.recordApply(payload.getVersion(), observed.systemd() ? declared
          : declared.withUnitFiles(planned.inventory().unitFiles()).withApps(planned.inventory().apps()), applied,
          clock.instant());
    }
    var compliance = Drift.compliance(payload.getState(), planned.plan(), applied);
    if (observed.systemdError() != null) {
      compliance.replaceAll((key, ok) -> ok && !key.startsWith("unit:") && !key.startsWith("app:"));
    }
    metrics.compliance(compliance);
    metrics.bundleExpires(payload.getExpiresAt().toInstant());
    metrics.apps(Drift.appVersions(payload.getState(), observed, compliance));
    metrics.applied(payload.getVersion(), (System.nanoTime() - planned.started()) / 1e9, clock.instant(),
        !toApply.isEmpty());
    return Passes.applied(trigger, payload.getVersion(), planned.plan(), toApply, applied, observed.systemdError(),
        !UnitReports.managedUnits(payload.getState()).isEmpty());
  }

  /** Counts a pass in the metrics. */
  void count(Pass pass) {
    metrics.pass(pass);
  }

  /** Sends the status report of {@code pass}, best effort: the next pass reports again. No server: nothing. */
  void report(Pass pass, BundlePayload current) {
    if (client == null) {
      return;
    }
    var host = settings.telemetry() == null ? null : settings.telemetry().due(clock.instant());
    try {
      client.report(StatusReports.of(settings.device(), pass, state.driftCount(), clock.instant(),
          current == null ? null : current.getState(), current == null ? null : current.getWatchers(),
          settings.systemd(), host == null ? null : host.changes()));
      if (host != null) {
        settings.telemetry().sent(host);
      }
    } catch (IOException e) {
      // best effort
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
