package dev.flotilla.agent;

import dev.flotilla.agent.BundleSource.Desired;
import dev.flotilla.agent.PassRecorder.Planned;
import dev.flotilla.agent.Passes.Trigger;
import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.drift.WatchSet;
import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.host.Host;
import dev.flotilla.agent.secret.SealedFiles;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.plan.Schedule;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
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
 * The device's reconcile pass: fetch a verified bundle ({@link BundleSource}) → observe the host → plan (pure) →
 * apply → report. A refused bundle changes nothing: the last good state stays applied and the refusal is reported.
 * Between new bundles each pass re-plans the same bundle, so drift is corrected (enforce) or reported. Not
 * thread-safe: one loop owns it; {@link AgentWiring} builds it from the config file. What makes a bundle accepted
 * (and current) is told at {@link BundleIntake}.
 */
public final class Agent implements AutoCloseable {
  private final AgentSettings settings;
  private final AgentState state;
  private final Host host;
  private final Applier applier;
  private final BundleIntake intake;
  private final BundleSource source;
  private final PassRecorder recorder;
  private final UnitWatch units;
  private final SealedFiles sealed;
  private final Consumer<String> log;
  private final Clock clock;
  private VerifiedBundle current;
  /** The version last refused at plan in this run, or 0: it is not planned again. */
  private long refusedAtPlan;
  private Pass last;
  /** Whether the current bundle's apply still holds changes for a window: passes then finish it, not drift. */
  private boolean holding;
  private volatile boolean applying;

  /**
   * @param client the server; null for an agent that only applies ops bundles
   * @param metrics where passes, drifts and refusals are counted
   * @param log receives one line per drift found (resource, expected, actual), one at start when the state
   *     database is a newer agent's, and one when leftovers of an interrupted apply are removed
   */
  public Agent(AgentSettings settings, BundleClient client, Clock clock, AgentMetrics metrics, Consumer<String> log)
      throws IOException {
    this.settings = settings;
    this.log = log;
    this.clock = clock;
    this.state = AgentState.open(settings.stateDir(), log);
    this.host = new Host(settings.files(), settings.sysctl(), settings.systemd());
    this.sealed = new SealedFiles(settings.stateDir(), settings.device(), settings.deviceKey(),
        settings.keyFingerprint());
    this.applier = AgentWiring.applier(settings, sealed);
    this.intake = new BundleIntake(settings, state, clock);
    this.source = new BundleSource(client, intake);
    this.recorder = new PassRecorder(settings, state, client, metrics, log, clock);
    this.units = new UnitWatch(settings.systemd());
  }

  /**
   * Fetches (long-polling up to {@code wait}), then reconciles. Network errors propagate; nothing is applied. The
   * ETag sent is the last bundle's, accepted or refused.
   */
  public Pass reconcileOnce(Duration wait) throws IOException, InterruptedException {
    return reconcile(source.fetch(wait));
  }

  /** Starts a long-poll for the next bundle; pass its result to {@link #reconcile}. */
  public CompletableFuture<BundleClient.Fetch> fetch(Duration wait) {
    return source.fetchAsync(wait);
  }

  /** Reconciles with what a fetch returned: a new bundle is verified and applied, otherwise drift is handled. */
  public Pass reconcile(BundleClient.Fetch fetched) throws IOException {
    var desired = source.verified(fetched);         // fetch step: verified (the root rotated if need be) or refused
    var pass = pass(desired);                       // observe → plan → apply
    source.taken(fetched);
    return report(record(pass));                    // status
  }

  /** One pass over what the fetch step offers: a refusal, a new bundle, or the current bundle again. */
  private Pass pass(Desired desired) throws IOException {
    return switch (desired) {
      case Desired.Refused refused -> Passes.refused(refused.cause(), refused.what(), currentVersion());
      case Desired.Verified verified when verified.version() != refusedAtPlan -> take(verified);
      case Desired.Verified verified -> enforce();
      case Desired.Unchanged unchanged -> enforce();
    };
  }

  /**
   * A new bundle: observed, planned, and unless the host refuses the plan as a whole, stored as the current one and
   * applied. The host's whole-plan checks run once, here; a refusal changes nothing and is the pass returned.
   */
  private Pass take(Desired.Verified verified) throws IOException {
    applying = true;
    try {
      var planned = plan(verified.bundle().payload());              // observe (read-only), then plan (pure)
      var checked = applier.precheck(planned.plan());               // the host's whole-plan checks, once
      if (checked.refused()) {
        refusedAtPlan = verified.version();
        return Passes.refusedAtPlan(refusedAtPlan, checked.message(), currentVersion());
      }
      store(verified);
      current = verified.bundle();
      var now = planned.plan().now();                               // disruptive changes wait for a window
      var applied = now == planned.plan() ? applier.apply(now, checked) : applier.apply(now);   // writes
      holding = !planned.plan().held().isEmpty();
      return recorder.applied(planned, Trigger.NEW_BUNDLE, now, applied);
    } finally {
      applying = false;
    }
  }

  /** A pass over the current bundle: drift corrected or reported; NoBundle when there is none yet. */
  private Pass enforce() throws IOException {
    return current == null ? Passes.noBundle() : reapply(Trigger.ENFORCE);
  }

  /**
   * At start-up: removes what an apply interrupted by a crash left (temp files in the directories the agent
   * manages), verifies the stored bundle again and re-applies it, with no network needed. When an apply was
   * interrupted the pass is {@code Recovered}, not drift. A torn {@code current.json} falls back to {@code
   * previous.json} (see {@link BundleIntake#stored}), saying so in one log line. When no stored bundle can be used,
   * the pass is the refusal, naming both files.
   */
  public Optional<Pass> resume() throws IOException {
    for (var file : intake.removeTempFiles()) {
      log.accept("remove temp file left by an interrupted save: '" + file + "'");
    }
    try {
      enforced();
    } catch (TrustException e) {
      return Optional.of(record(Passes.refused(e, "stored bundle", 0)));
    }
    if (current == null) {
      return Optional.empty();
    }
    return Optional.of(record(recover()));
  }

  /**
   * Removes the temp files an interrupted apply left, then re-applies the current bundle: a recovery when there
   * were any, or when the current bundle's apply never finished (no apply of it recorded); otherwise drift.
   */
  private Pass recover() throws IOException {
    var leftovers = host.removeTempFiles(current.payload().getState(), state.inventory());
    if (!leftovers.isEmpty()) {
      log.accept("remove " + leftovers.size() + " temp file(s) left by an interrupted apply: "
          + String.join(", ", leftovers));
    }
    var history = state.history(1);
    var interrupted = history.isEmpty() || history.getFirst().bundleVersion() < currentVersion();
    var pass = reapply(interrupted || !leftovers.isEmpty() ? Trigger.RECOVERY : Trigger.ENFORCE);
    return leftovers.isEmpty() || pass.outcome() != PassOutcome.UP_TO_DATE ? pass
        : Passes.leftoversRemoved(pass, leftovers.size());
  }

  /**
   * The version of the bundle the agent enforces, loading the stored one first when there is none yet (a fallback
   * to {@code previous.json} is logged). Empty when no bundle was ever accepted.
   *
   * @throws TrustException when a bundle was accepted but no stored one can be used; the message names the files
   */
  public OptionalLong enforced() throws TrustException, IOException {
    if (current == null) {
      current = intake.stored(log).orElse(null);
    }
    return current == null ? OptionalLong.empty() : OptionalLong.of(current.payload().getVersion());
  }

  /**
   * A local pass after a drift event: re-plans the current bundle and corrects (enforce) or reports drift, without
   * asking the server. Empty when there is no bundle yet.
   */
  public Optional<Pass> correct() throws IOException {
    return current == null ? Optional.empty() : Optional.of(report(record(reapply(Trigger.ENFORCE))));
  }

  /** Applies a bundle from a file (an ops bundle from USB) with the same checks as a downloaded one. */
  public Pass applyFile(byte[] raw) throws IOException {
    try {
      enforced();
    } catch (TrustException e) {
      log.accept("refuse stored bundle: " + e.getMessage()); // the ops bundle may be what repairs it
    }
    return record(pass(source.verified(raw, "ops bundle")));
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

  /**
   * Starts real-time unit drift detection: {@code onChange} gets {@code unit:<name>} when a unit the current bundle
   * declares (services and apps' units) changes on the host; the set follows each pass. Does not connect to the bus:
   * watching starts with the connection, when a bundle first needs systemd, and resumes after a reconnect. Does
   * nothing without a systemd bus. It stops with {@link #close()}.
   */
  public void watchUnits(Consumer<String> onChange) throws IOException {
    units.start(onChange, current == null ? null : current.payload().getState());
  }

  /**
   * When the last pass's held changes may apply: the loop wakes then for a local pass. Empty when nothing waits for
   * a window that opens.
   */
  public Optional<java.time.Instant> nextOpening() {
    return last == null ? Optional.empty() : last.held().nextOpening();
  }

  /** The clock passes plan at. */
  public Clock clock() {
    return clock;
  }

  /** The version of the bundle enforced now, 0 when there is none. */
  public long currentVersion() {
    return current == null ? 0 : current.payload().getVersion();
  }

  /** What the drift watcher should watch for the current bundle. */
  public WatchSet watchSet() {
    return current == null ? WatchSet.NONE : WatchSet.of(current.payload());
  }

  /** Whether a pass is writing to the host now; a loop being stopped lets it finish rather than interrupt it. */
  public boolean applying() {
    return applying;
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
   * Stores an accepted bundle before anything is applied. A failure (a full disk, say) is reported as StoreFailed
   * and thrown, so the loop backs off and the host keeps the last good bundle.
   */
  private void store(Desired.Verified verified) throws IOException {
    try {
      intake.store(verified.raw(), verified.bundle(), currentVersion());
    } catch (IOException e) {
      report(record(Passes.storeFailed(currentVersion(), e.getMessage())));
      throw e;
    }
  }

  /**
   * Re-plans the current bundle and corrects (enforce) or reports drift; while its apply holds changes for a window,
   * applies what may apply now of it instead, as for a new bundle.
   */
  private Pass reapply(Trigger trigger) throws IOException {
    applying = true;
    try {
      var planned = plan(current.payload());
      var finishing = holding && trigger != Trigger.NEW_BUNDLE;
      var toApply = finishing ? planned.plan().now() : planned.plan().enforceable();
      if (trigger == Trigger.ENFORCE && !finishing) {
        recorder.drift(planned);
      }
      if (finishing) {
        holding = !planned.plan().held().isEmpty();
      }
      return recorder.applied(planned, finishing ? Trigger.WINDOW : trigger, toApply, applier.apply(toApply));
    } finally {
      applying = false;
    }
  }

  /** Observes the host (I/O, read-only), then plans (pure). */
  private Planned plan(BundlePayload payload) throws IOException {
    var started = System.nanoTime();
    var inventory = state.inventory();
    var observed = host.observe(payload.getState(), inventory);
    return new Planned(payload, inventory, observed, Planner.plan(sealed.known(payload.getState()),
        payload.getDriftModes(), payload.getArtifacts(), observed, inventory, Schedule.of(payload, clock.instant())),
        started);
  }

  private Pass record(Pass pass) {
    last = pass;
    recorder.count(pass);
    recorder.receipt(pass, current == null ? null : current.payload());
    units.follow(current == null ? null : current.payload().getState());
    return pass;
  }

  private Pass report(Pass pass) {
    recorder.report(pass, current == null ? null : current.payload());
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
