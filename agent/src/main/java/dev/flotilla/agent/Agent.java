package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.drift.Drift;
import dev.flotilla.agent.drift.WatchSet;
import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.host.Host;
import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.systemd.SystemdConnection;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.plan.Inventory;
import dev.flotilla.plan.ObservedState;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.bundle.VerifiedBundle;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The device loop: fetch a bundle → verify it (DESIGN §5 order) → observe the host → plan (pure) → check the
 * plan → store the bundle → apply → record → report. A refused bundle changes nothing: the last good state stays
 * applied and the refusal is reported. Between new bundles each pass re-plans the same bundle, so drift is
 * corrected (enforce) or reported. Not thread-safe: one loop owns it.
 *
 * <p><b>What "accepted" means.</b> A bundle is accepted, and becomes the current one (stored as {@code
 * current.json}, its version recorded as the last accepted one), only when it verifies <em>and</em> the host does
 * not refuse its plan as a whole ({@link Applier#refusal}: a path outside the allowed ones, a symlink among a path's
 * parents, files that do not fit on the disk, and the like). A bundle refused at plan is reported as {@code
 * RefusedPlan} and changes nothing, neither the host nor the stored bundles nor the last accepted version: the
 * agent goes on enforcing the last bundle that applied. It is refused once per version: the ETag keeps the server
 * from sending it again, and should it come again in the same run (under another ETag) it is not planned again.
 * After a restart it is planned once more, so a refusal the operator has since cured (allowed paths widened, disk
 * space freed) lets it apply then. A bundle whose apply failed part way (a unit that does not start) was accepted:
 * it stays current and each pass applies it again.
 */
public final class Agent implements AutoCloseable {
  private final AgentSettings settings;
  private final Clock clock;
  private final AgentState state;
  private final Host host;
  private final Applier applier;
  private final BundleClient client;
  private final BundleIntake intake;
  private VerifiedBundle current;
  /** The version last refused at plan in this run, or 0: it is not planned again. */
  private long refusedAtPlan;
  private String etag;
  private Pass last;
  private volatile boolean applying;
  private SystemdConnection watched;
  private final AgentMetrics metrics;
  private final Consumer<String> log;

  public Agent(AgentSettings settings, BundleClient client, Clock clock) throws IOException {
    this(settings, client, clock, new AgentMetrics(), line -> {});
  }

  /**
   * @param metrics where passes, drifts and refusals are counted
   * @param log receives one line per drift found (resource, expected, actual), and one at start when the state
   *     database is a newer agent's
   */
  public Agent(AgentSettings settings, BundleClient client, Clock clock, AgentMetrics metrics, Consumer<String> log)
      throws IOException {
    this.metrics = metrics;
    this.log = log;
    this.settings = settings;
    this.clock = clock;
    this.client = client;
    this.state = AgentState.open(settings.stateDir(), log);
    var systemd = settings.systemd();
    this.host = new Host(settings.files(), settings.sysctl(), systemd);
    this.applier = systemd == null ? new Applier(settings.files(), settings.sysctl())
        : new Applier(settings.files(), settings.sysctl(), systemd.systemd(),
            new AppInstaller(systemd.apps(), systemd.artifacts(), settings.files(), systemd.systemd()));
    this.intake = new BundleIntake(settings, state, client, clock);
  }

  /**
   * The outcome of one pass, as reported.
   *
   * @param version the bundle the host is on after the pass (for a refusal, the one kept), 0 when none
   * @param message for a refusal, names the refused bundle's version when it is known
   */
  public record Pass(long version, Plan plan, ApplyResult applied, String reason, String message, boolean ready) {

    /** Whether the pass refused a bundle: then {@link #version} is the one kept, not the one refused. */
    public boolean refused() {
      return reason.startsWith("Refused");
    }
  }

  /**
   * At start-up: verifies the stored bundle again and re-applies it, with no network needed; a torn {@code
   * current.json} falls back to {@code previous.json} (see {@link BundleIntake#stored}), saying so in one log line.
   * When no stored bundle can be used, the pass is the refusal, naming both files.
   */
  public Optional<Pass> resume() throws IOException {
    try {
      enforced();
    } catch (TrustException e) {
      return Optional.of(record(refused(e, "stored bundle")));
    }
    return current == null ? Optional.empty() : Optional.of(record(reapply()));
  }

  /**
   * The version of the bundle the agent enforces, loading the stored one first when there is none yet (a fallback
   * to {@code previous.json} is logged). Empty when no bundle was ever accepted.
   *
   * @throws TrustException when a bundle was accepted but no stored one can be used; the message names the files
   */
  public OptionalLong enforced() throws TrustException, IOException {
    if (current == null) {
      var stored = intake.stored();
      if (stored.isPresent() && stored.get().fallback() != null) {
        log.accept(stored.get().fallback());
      }
      current = stored.map(BundleIntake.Stored::bundle).orElse(null);
    }
    return current == null ? OptionalLong.empty() : OptionalLong.of(current.payload().getVersion());
  }

  /**
   * Fetches (long-polling up to {@code wait}), then reconciles. Network errors propagate; nothing is applied. The
   * ETag sent is the last bundle's, accepted or refused.
   */
  public Pass reconcileOnce(Duration wait) throws IOException, InterruptedException {
    return reconcile(client.fetch(etag, wait));
  }

  /** Starts a long-poll for the next bundle; pass its result to {@link #reconcile}. */
  public CompletableFuture<BundleClient.Fetch> fetch(Duration wait) {
    return client.fetchAsync(etag, wait);
  }

  /** Reconciles with what a fetch returned: a new bundle is verified and applied, otherwise drift is handled. */
  public Pass reconcile(BundleClient.Fetch fetched) throws IOException {
    if (fetched instanceof BundleClient.Fetch.Changed changed) {
      var pass = take(changed.bundle(), "downloaded bundle");
      // A refused bundle's ETag is remembered too: the server answers 304 until a new bundle exists, so it is
      // neither fetched nor refused (nor counted) again.
      etag = changed.etag();
      return report(record(pass));
    }
    return report(record(enforce()));
  }

  /** A pass over the current bundle: drift corrected or reported; NoBundle when there is none yet. */
  private Pass enforce() throws IOException {
    if (current == null) {
      return new Pass(0, Plan.EMPTY, ApplyResult.skipped(Plan.EMPTY), "NoBundle", "no bundle for this device yet",
          false);
    }
    return reapply();
  }

  /**
   * A local pass after a drift event: re-plans the current bundle and corrects (enforce) or reports drift, without
   * asking the server. Empty when there is no bundle yet.
   */
  public Optional<Pass> correct() throws IOException {
    return current == null ? Optional.empty() : Optional.of(report(record(reapply())));
  }

  /** The version of the bundle enforced now, 0 when there is none. */
  public long currentVersion() {
    return current == null ? 0 : current.payload().getVersion();
  }

  /** What the drift watcher should watch for the current bundle. */
  public WatchSet watchSet() {
    return current == null ? WatchSet.NONE : WatchSet.of(current.payload());
  }

  /** Applies a bundle from a file (an ops bundle from USB) with the same checks as a downloaded one. */
  public Pass applyFile(byte[] raw) throws IOException {
    try {
      enforced();
    } catch (TrustException e) {
      log.accept("refuse stored bundle: " + e.getMessage()); // the ops bundle may be what repairs it
    }
    return record(take(raw, "ops bundle"));
  }

  /**
   * Starts real-time unit drift detection: {@code onChange} gets {@code unit:<name>} when a unit the current bundle
   * declares (services and apps' units) changes on the host; the set follows each pass. Does not connect to the bus:
   * watching starts with the connection, when a bundle first needs systemd, and resumes after a reconnect. Does
   * nothing without a systemd bus. It stops with {@link #close()}.
   */
  public void watchUnits(Consumer<String> onChange) throws IOException {
    if (settings.systemd() == null || !(settings.systemd().systemd() instanceof SystemdConnection bus)) {
      return;
    }
    bus.watch(onChange);
    watched = bus;
    bus.manage(UnitReports.managedUnits(current == null ? null : current.payload().getState()));
  }

  /**
   * What the current bundle would change now; changes nothing. Empty before the first bundle.
   *
   * @throws IOException {@code plan stored bundle: ...} when a bundle was accepted but no stored one can be used
   */
  public Plan plan() throws IOException {
    try {
      enforced();
    } catch (TrustException e) {
      throw new IOException("plan stored bundle: " + e.getMessage(), e);
    }
    return current == null ? Plan.EMPTY : plan(current.payload()).plan();
  }

  public Pass last() {
    return last;
  }

  public AgentSettings settings() {
    return settings;
  }

  public AgentState state() {
    return state;
  }

  public TrustRoot root() {
    return intake.root();
  }

  /**
   * A new bundle: verified, planned, and unless the host refuses the plan as a whole, stored as the current one and
   * applied. A refusal (at verify or at plan) changes nothing and is the pass returned.
   */
  private Pass take(byte[] raw, String what) throws IOException {
    VerifiedBundle verified;
    try {
      verified = intake.verify(raw);
    } catch (TrustException e) {
      return refused(e, what);
    }
    if (verified.payload().getVersion() == refusedAtPlan) {
      return enforce();
    }
    applying = true;
    try {
      var planned = plan(verified.payload());
      var refusal = applier.refusal(planned.plan());
      if (refusal != null) {
        refusedAtPlan = verified.payload().getVersion();
        return refusedAtPlan(refusal);
      }
      store(raw, verified);
      current = verified;
      return applyPlanned(planned, true);
    } finally {
      applying = false;
    }
  }

  /** The pass of a bundle whose plan the host refuses as a whole; it is counted as refused, reason {@code Plan}. */
  private Pass refusedAtPlan(String refusal) {
    return refusal("Plan", "refuse bundle version " + refusedAtPlan + ": " + refusal,
        "; no bundle applied yet");
  }

  /**
   * Stores an accepted bundle before anything is applied. A failure (a full disk, say) is reported as StoreFailed
   * and thrown, so the loop backs off and the host keeps the last good bundle.
   */
  private void store(byte[] raw, VerifiedBundle verified) throws IOException {
    try {
      intake.store(raw, verified);
    } catch (IOException e) {
      var kept = current == null ? 0 : current.payload().getVersion();
      var failure = new IOException("store bundle version " + verified.payload().getVersion() + ": " + e.getMessage()
          + "; keeping version " + kept + "; free space in '" + settings.stateDir() + "'", e);
      var pass = record(new Pass(kept, Plan.EMPTY, ApplyResult.skipped(Plan.EMPTY), "StoreFailed",
          failure.getMessage(), false));
      if (client != null) {
        report(pass);
      }
      throw failure;
    }
  }

  /** Whether a pass is writing to the host now; a loop being stopped lets it finish rather than interrupt it. */
  public boolean applying() {
    return applying;
  }

  /** Re-plans the current bundle and corrects (enforce) or reports drift. */
  private Pass reapply() throws IOException {
    applying = true;
    try {
      return applyPlanned(plan(current.payload()), false);
    } finally {
      applying = false;
    }
  }

  /** A bundle's plan with what it was planned from. */
  private record Planned(BundlePayload payload, Inventory inventory, ObservedState observed, Plan plan,
      long started) {}

  private Planned plan(BundlePayload payload) throws IOException {
    var started = System.nanoTime();
    var inventory = state.inventory();
    var observed = host.observe(payload.getState(), inventory);
    return new Planned(payload, inventory, observed,
        Planner.plan(payload.getState(), payload.getDriftModes(), payload.getArtifacts(), observed, inventory),
        started);
  }

  private Pass applyPlanned(Planned planned, boolean newBundle) throws IOException {
    var started = planned.started();
    var payload = planned.payload();
    var inventory = planned.inventory();
    var observed = planned.observed();
    var plan = planned.plan();
    var toApply = newBundle ? plan : plan.enforceable();
    if (!newBundle) {
      recordDrift(plan, observed);
    }
    var applied = applier.apply(toApply);
    if (!toApply.isEmpty()) {
      var declared = Inventory.declaredBy(payload.getState());
      // without systemd no unit file or app was planned: keep owning the old ones, claim no new ones
      state.recordApply(payload.getVersion(), observed.systemd() ? declared
          : declared.withUnitFiles(inventory.unitFiles()).withApps(inventory.apps()), applied, clock.instant());
    }
    var compliance = Drift.compliance(payload.getState(), plan, applied);
    if (observed.systemdError() != null) {
      compliance.replaceAll((key, ok) -> ok && !key.startsWith("unit:") && !key.startsWith("app:"));
    }
    metrics.compliance(compliance);
    metrics.apps(Drift.appVersions(payload.getState(), observed, compliance));
    metrics.applied(payload.getVersion(), (System.nanoTime() - started) / 1e9, clock.instant(), !toApply.isEmpty());
    if (applied.failed()) {
      return new Pass(payload.getVersion(), toApply, applied, "ApplyFailed", applied.error().orElse("apply failed"),
          false);
    }
    if (observed.systemdError() != null && !UnitReports.managedUnits(payload.getState()).isEmpty()) {
      return systemdUnavailable(payload.getVersion(), toApply, applied, observed.systemdError());
    }
    var reportOnly = plan.reportOnly();
    if (!newBundle && !reportOnly.isEmpty()) {
      return new Pass(payload.getVersion(), plan, applied, "Drifted",
          reportOnly.changes().size() + " resource(s) differ and are only reported: "
              + String.join("; ", reportOnly.lines()), true);
    }
    var reason = toApply.isEmpty() ? "UpToDate" : newBundle ? "Applied" : "DriftCorrected";
    return new Pass(payload.getVersion(), toApply, applied, reason,
        toApply.isEmpty() ? "version " + payload.getVersion() + " applied, no changes needed"
            : toApply.changes().size() + " change(s): " + String.join("; ", toApply.lines()), true);
  }

  /** A pass that applied files and sysctl but could not reach systemd for the bundle's units and apps. */
  private static Pass systemdUnavailable(long version, Plan applied, ApplyResult result, String error) {
    return new Pass(version, applied, result, "SystemdUnavailable", error + "; units and apps not applied, "
        + (applied.isEmpty() ? "files and sysctl up to date"
            : "applied " + applied.changes().size() + " change(s): " + String.join("; ", applied.lines())), false);
  }

  private void recordDrift(Plan plan, ObservedState observed) throws IOException {
    for (var drift : Drift.of(plan, observed)) {
      state.recordDrift(drift.kind(), drift.name(), drift.mode(), drift.expected(), drift.actual(), clock.instant());
      metrics.drift(drift.kind(), drift.mode());
      log.accept(drift.line());
    }
  }

  private Pass refused(TrustException e, String what) {
    var refusedVersion = e.bundleVersion().isPresent() ? " version " + e.bundleVersion().getAsLong() : "";
    return refusal(e.refusal().reason(), "refuse " + what + refusedVersion + ": " + e.getMessage(), "");
  }

  /**
   * A refusal pass, counted under {@code reason}: the host stays on the current bundle, which {@code message} is
   * followed by ({@code ; keeping version N}, or {@code withoutBundle} when there is none).
   */
  private Pass refusal(String reason, String message, String withoutBundle) {
    metrics.refused(reason);
    var kept = currentVersion();
    return new Pass(kept, Plan.EMPTY, ApplyResult.skipped(Plan.EMPTY), "Refused" + reason,
        message + (current == null ? withoutBundle : "; keeping version " + kept), false);
  }

  private Pass record(Pass pass) {
    last = pass;
    if (watched != null) {
      watched.manage(UnitReports.managedUnits(current == null ? null : current.payload().getState()));
    }
    return pass;
  }

  private Pass report(Pass pass) {
    try {
      client.report(StatusReports.of(settings.device(), pass, state.driftCount(), clock.instant(),
          current == null ? null : current.payload().getState(),
          current == null ? null : current.payload().getWatchers(),
          settings.systemd()));
    } catch (IOException | InterruptedException e) {
      // reporting is best effort; the next pass reports again
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    return pass;
  }

  @Override
  public void close() throws IOException {
    try {
      state.close();
    } finally {
      if (settings.systemd() != null) {
        settings.systemd().systemd().close();
      }
    }
  }
}
