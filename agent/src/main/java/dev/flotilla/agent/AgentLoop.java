package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.drift.Debouncer;
import dev.flotilla.agent.drift.DriftWatcher;
import dev.flotilla.agent.drift.WatchSet;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an {@link Agent} until stopped: re-apply the stored bundle at start (offline is fine), then long-poll the
 * server for the next bundle, one pass at a time; on errors wait with jittered exponential backoff (1 s doubling to
 * 60 s) and keep the last good state.
 *
 * <p>The loop waits on two things at once: the long-poll (in flight on the HTTP client) and local change events
 * (the {@link Debouncer} that the {@link DriftWatcher}, the agent's unit watcher and any other watcher feed through
 * {@link #wakeUp()}). A
 * settled burst of events runs a local pass ({@link Agent#correct}) at once, while the long-poll stays in flight,
 * so drift is corrected within the debounce even while the server is unreachable. Every pass runs on the loop's
 * thread; only the loop touches the agent.
 */
public final class AgentLoop implements AutoCloseable {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private final Agent agent;
  private final Duration wait;
  private final Consumer<String> log;
  private volatile boolean running = true;
  private volatile Thread thread;
  private final Debouncer wake;
  private final DriftWatcher watcher;
  private final Runnable ready;
  private Pass previous;
  private final WindowAlarm alarm;
  private Consumer<Pass> onPass = pass -> {};
  private boolean ownsWatcher;

  public AgentLoop(Agent agent, Duration wait, Consumer<String> log) {
    this(agent, wait, log, new Debouncer(WatchSet.DEFAULT_DEBOUNCE), null, () -> {});
  }

  /**
   * @param wake the debounced wake-up the loop waits on besides the long-poll
   * @param watcher told after every pass what to watch (the current bundle's files and keys); null watches nothing
   * @param ready run once the stored bundle is re-applied, before the first fetch (sd_notify READY=1)
   */
  public AgentLoop(Agent agent, Duration wait, Consumer<String> log, Debouncer wake, DriftWatcher watcher,
      Runnable ready) {
    this.agent = agent;
    this.wait = wait;
    this.log = log;
    this.wake = wake;
    this.watcher = watcher;
    this.ready = ready;
    this.alarm = new WindowAlarm(wake);
  }

  /**
   * A loop with real-time drift detection, as {@code flotilla-agent run} has it: a {@link Debouncer} fed by a
   * {@link DriftWatcher} on the agent's files and sysctl keys (and, with a systemd bus, its unit watcher). The loop
   * owns the watcher: it stops when {@link #run} returns.
   *
   * @throws IOException when no inotify instance can be made (the per-user limit is reached)
   */
  public static AgentLoop watching(Agent agent, Duration wait, Consumer<String> log, Runnable ready)
      throws IOException {
    var wake = new Debouncer(WatchSet.DEFAULT_DEBOUNCE);
    var watcher = new DriftWatcher(agent.settings().files(), agent.settings().sysctl(), wake, log);
    var loop = new AgentLoop(agent, wait, log, wake, watcher, ready);
    loop.ownsWatcher = true;
    return loop;
  }

  /**
   * Where watchers report a changed resource ({@code file:/etc/motd}, {@code unit:foo.service}); thread-safe. The
   * loop re-plans once the burst settles.
   */
  public Consumer<String> wakeUp() {
    return wake;
  }

  /**
   * Tells {@code listener} of every pass the loop runs (logged or not), on the loop's thread, after its log line;
   * set it before {@link #run}.
   */
  public AgentLoop onPass(Consumer<Pass> listener) {
    this.onPass = listener;
    return this;
  }

  public Agent agent() {
    return agent;
  }

  /** Runs on the calling thread until {@link #close()}. */
  public void run() {
    thread = Thread.currentThread();
    try {
      agent.resume().ifPresent(pass -> {
        log.accept(describe(pass));
        onPass.accept(pass);
      });
    } catch (IOException e) {
      log.accept("resume: " + e.getMessage());
    }
    watchUnits();
    follow();
    ready.run();
    CompletableFuture<BundleClient.Fetch> fetch = null;
    var backoff = Duration.ofSeconds(1);
    try {
      while (running) {
        if (fetch == null) {
          fetch = agent.fetch(wait);
          fetch.whenComplete((result, error) -> wake.poke());
        }
        var pending = fetch;
        var changed = wake.await(pending::isDone);
        if (!running) {
          return;
        }
        try {
          if (!changed.isEmpty()) {
            agent.correct().ifPresent(pass -> logPass(pass, " (woken by " + String.join(", ", changed) + ")"));
          } else {
            fetch = null;
            logPass(agent.reconcile(result(pending)), "");
            backoff = Duration.ofSeconds(1);
          }
        } catch (IOException | RuntimeException e) {
          var kept = agent.currentVersion();
          log.accept(e.getMessage() + "; retrying in " + backoff.toSeconds() + "s, "
              + (kept == 0 ? "no bundle is enforced" : "keeping version " + kept));
          fetch = later(jittered(backoff));
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        follow();
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      if (fetch != null) {
        fetch.cancel(true);
      }
      alarm.cancel();
      stopWatcher();
    }
  }

  /**
   * Logs a pass, except an UpToDate one after another, after an apply, a correction or a recovery (the agent's own
   * writes, such as its sysctl.d file, wake the loop).
   *
   * @param cause appended to the line: what woke a local pass, or empty for a pass after a fetch
   */
  private void logPass(Pass pass, String cause) {
    if (previous == null || pass.outcome() != PassOutcome.UP_TO_DATE || !previous.outcome().converged()) {
      log.accept(describe(pass) + cause);
    }
    previous = pass;
    onPass.accept(pass);
  }

  /**
   * With a systemd bus, a unit the bundle declares (its services and apps' units) that changes on the host wakes the
   * loop like a changed file: a unit stopped from outside is corrected within the debounce, not at the next poll.
   */
  private void watchUnits() {
    try {
      agent.watchUnits(wake);
    } catch (IOException e) {
      log.accept(e.getMessage() + "; units are checked at each poll only");
    }
  }

  private void stopWatcher() {
    if (ownsWatcher) {
      try {
        watcher.close();
      } catch (IOException e) {
        log.accept(e.getMessage());
      }
    }
  }

  /**
   * Points the watcher and the debounce at the current bundle, and sets the alarm for when the changes it holds may
   * apply (a local pass then applies them).
   */
  private void follow() {
    alarm.set(agent.nextOpening().orElse(null), agent.clock());
    var set = agent.watchSet();
    wake.quiet(set.debounce());
    if (watcher != null) {
      watcher.watch(set);
    }
  }

  /** A fetch that starts after {@code delay} (the backoff), during which drift events are still handled. */
  private CompletableFuture<BundleClient.Fetch> later(Duration delay) {
    var future = CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(delay.toMillis(),
        TimeUnit.MILLISECONDS)).thenCompose(ignored -> agent.fetch(wait));
    future.whenComplete((result, error) -> wake.poke());
    return future;
  }

  private static Duration jittered(Duration backoff) {
    return Duration.ofMillis(backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
  }

  private static BundleClient.Fetch result(CompletableFuture<BundleClient.Fetch> done) throws IOException {
    try {
      return done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * One line for a pass: {@code version 7: Applied: ...}; without the prefix when no bundle is on the host, and for a
   * refusal, whose message names the refused bundle's version when it is known.
   */
  static String describe(Pass pass) {
    var prefix = pass.version() > 0 && !pass.refused() ? "version " + pass.version() + ": " : "";
    return prefix + pass.reason() + ": " + pass.message();
  }

  @Override
  public void close() throws IOException {
    running = false;
    var t = thread;
    if (t != null && !agent.applying()) {
      t.interrupt(); // stops a long-poll at once; a pass that is applying finishes first
    }
  }
}
