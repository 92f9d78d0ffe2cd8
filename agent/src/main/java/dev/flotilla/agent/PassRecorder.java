package dev.flotilla.agent;

import dev.flotilla.agent.Passes.Trigger;
import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.drift.Drift;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.receipt.HostUnitFailures;
import dev.flotilla.agent.receipt.ReceiptMaker;
import dev.flotilla.agent.receipt.ReceiptQueue;
import dev.flotilla.agent.receipt.ReceiptSender;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.ObservedState;
import dev.flotilla.plan.Plan;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.digest.Digest;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.model.BundlePayload;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The status step of a pass: records what an apply wrote (the inventory and history in the state database), the
 * drift found, the metrics and the pass's signed receipt, and sends the status report with the receipts queued.
 * Not thread-safe: the agent's loop owns it.
 */
final class PassRecorder {
  /** The receipt queue's bounds: weeks offline of a device that fails a few times an hour. */
  static final int MAX_RECEIPTS = 1000;
  static final long MAX_RECEIPT_BYTES = 8 << 20;

  /** A bundle's plan with what it was planned from; {@code started} is when observing began (nanoTime). */
  record Planned(BundlePayload payload, Inventory inventory, ObservedState observed, Plan plan, long started) {}

  private final AgentSettings settings;
  private final AgentState state;
  private final BundleClient client;
  private final AgentMetrics metrics;
  private final Consumer<String> log;
  private final Clock clock;
  /** Receipts not yet acknowledged; null without a server to send them to. */
  private final ReceiptQueue receipts;
  private final ReceiptSender sender;
  private Pass lastReceipted;
  /** The digest of the stored bundle of {@link #digestedVersion}, hashed once per version. */
  private String digest;
  private long digestedVersion;

  PassRecorder(AgentSettings settings, AgentState state, BundleClient client, AgentMetrics metrics,
      Consumer<String> log, Clock clock) throws IOException {
    this.settings = settings;
    this.state = state;
    this.client = client;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
    this.receipts = client == null ? null : ReceiptQueue.open(settings.stateDir().resolve("receipts"),
        MAX_RECEIPTS, MAX_RECEIPT_BYTES);
    this.sender = receipts == null ? null : new ReceiptSender(receipts, log);
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

  /**
   * Makes, signs and queues the receipt of {@code pass} on the bundle {@code current}, when the pass gets one
   * ({@link ReceiptMaker#wanted}). Best effort like the report: a queue that cannot be written is one log line.
   */
  void receipt(Pass pass, BundlePayload current) {
    if (receipts == null || !ReceiptMaker.wanted(pass, lastReceipted)) {
      return;
    }
    lastReceipted = pass;
    var sequence = receipts.nextSequence(clock.instant());
    try {
      var receipt = ReceiptMaker.make(settings.device(), settings.identityHash(), sequence, receipts.dropped(), pass,
          current, bundleDigest(current), clock.instant(), new HostUnitFailures(settings.systemd(),
              current == null ? null : current.getState()));
      receipts.add(sequence, ReceiptMaker.signed(receipt, client::sign));
    } catch (IOException e) {
      log.accept("keep receipt of pass " + pass.reason() + ": " + e.getMessage());
    }
  }

  /** The sha256 of the stored signed bundle {@code current}, streamed from its file; null with none. */
  private String bundleDigest(BundlePayload current) throws IOException {
    if (current == null) {
      return null;
    }
    if (current.getVersion() != digestedVersion) {
      digest = Digest.sha256(new BundleStore(settings.stateDir()).currentFile()).toString();
      digestedVersion = current.getVersion();
    }
    return digest;
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
      sender.send(StatusReports.of(settings.device(), pass, state.driftCount(), clock.instant(),
          current == null ? null : current.getState(), current == null ? null : current.getWatchers(),
          settings.systemd(), host == null ? null : host.changes()), client::report);
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
