package dev.flotilla.server;

import dev.flotilla.api.ApiServer;
import dev.flotilla.api.ServerTls;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.git.GitTransport;
import dev.flotilla.history.GitHistory;
import dev.flotilla.history.History;
import dev.flotilla.history.Presence;
import dev.flotilla.io.SecretFile;
import dev.flotilla.notify.Notifier;
import dev.flotilla.publish.ArtifactStore;
import dev.flotilla.publish.BundleDirectory;
import dev.flotilla.publish.Publisher;
import dev.flotilla.reconcile.FleetGauges;
import dev.flotilla.reconcile.FleetStatus;
import dev.flotilla.reconcile.Reconciler;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.reconcile.ReconcilerMetrics;
import dev.flotilla.rollout.GitStatusBranch;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.status.StatusBoard;
import dev.flotilla.trust.Keys;
import dev.flotilla.ui.Board;
import dev.flotilla.ui.BoardSource;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The running reconciler: the API server plus a loop that reconciles on an interval and whenever the Git webhook
 * asks. {@link #close()} stops both and returns only when nothing of it runs any more.
 */
public final class ReconcilerServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("flotilla.reconciler");
  private final ReconcilerConfig config;
  private final Reconciler reconciler;
  private final ApiServer api;
  private final FleetRepo repo;
  private final GitTransport transports;
  private final StatusBoard statuses = new StatusBoard();
  private final GitHistory history;
  private final Presence presence;
  private final dev.flotilla.reconcile.CommitEvents commitEvents;
  private final Semaphore wake = new Semaphore(0);
  private final Thread loop;
  private final dev.flotilla.claim.ClaimDesk claims;
  private final Notifier notifier;
  private final Board board;
  private volatile boolean running = true;

  public ReconcilerServer(ReconcilerConfig config, Clock clock) throws IOException {
    this.config = config;
    var privateKey = Keys.readPrivate(config.signingKey());
    var publicKey = Keys.readPublic(publicKeyPath(config.signingKey()));
    var metrics = new ReconcilerMetrics();
    transports = new GitTransport(config.git());
    repo = FleetRepo.mirror(config.mirrorDir(), config.repo(), config.branch(), transports);
    var publisher = new Publisher(new BundleDirectory(config.bundleDir()),
        new BundleSigner(new KeyPair(publicKey, privateKey)), clock, config.bundleTtl());
    var holder = new ApiServer[1];
    history = GitHistory.open(repo.repository(), config.repo(), GitStatusBranch.BRANCH,
        config.workDir().resolve("history.db"), clock, new GitHistory.Settings(config.history().batch(),
            config.history().retentionDays(), GitHistory.Settings.DEFAULTS.fetchEvery()), transports);
    commitEvents = new dev.flotilla.reconcile.CommitEvents(history, clock);
    var rollouts = new RolloutRunner(new GitStatusBranch(repo.repository(), config.repo(), transports), statuses,
        clock).history(history);
    reconciler = new Reconciler(repo, new FleetValidator(clock), publisher, publicKey, clock, metrics,
        result -> { if (holder[0] != null) holder[0].published(); }, rollouts);
    metrics.registry().register(new FleetGauges(reconciler, statuses));
    statuses.onAppsChanged(wake::release);
    var options = new ApiServer.Options(new InetSocketAddress(config.listenHost(), config.listenPort()),
        tls(config), config.metricsListen(), operatorToken(config),
        config.trustedProxies());
    api = new ApiServer(options, reconciler, metrics, statuses, wake::release, clock,
        config.artifactStore() == null ? null : new ArtifactStore(config.artifactStore()));
    holder[0] = api;
    board = new Board(new BoardSource(reconciler, statuses, history, repo.repository(), clock), api.operators());
    api.context("/ui/", board);
    claims = new dev.flotilla.claim.ClaimDesk(repo.repository(), config.repo(), config.branch(), clock, wake::release,
        reconciler::served, transports);
    api.claims(claims.history(history));
    api.history(history);
    presence = new Presence(statuses, history, PresenceFacts.of(reconciler), clock);
    notifier = new Notifier(history, reconciler::snapshot, config.workDir().resolve("webhook-secrets"),
        Notifier.Retry.DEFAULT, clock);
    api.receipts(new dev.flotilla.audit.ReceiptDesk(reconciler::served, history, metrics.registry(), clock));
    loop = Thread.ofPlatform().name("flotilla-reconcile").daemon(true).unstarted(this::run);
  }

  /** The operator's certificate and key, re-read when they change; else the self-signed pair, made if missing. */
  private static SSLContext tls(ReconcilerConfig config) throws IOException {
    if (config.tlsCertificate() != null) {
      return ServerTls.context(config.tlsCertificate(), config.tlsKey());
    }
    var certificate = ServerTls.selfSigned(config.tlsDir(), config.tlsNames());
    return ServerTls.context(certificate, ServerTls.selfSignedKey(config.tlsDir()));
  }

  /** The configured operator token, else the one in {@link ReconcilerConfig#operatorTokenFile()}, made if missing. */
  static String operatorToken(ReconcilerConfig config) throws IOException {
    if (config.operatorToken() != null) {
      return config.operatorToken();
    }
    return SecretFile.readOrMake(config.operatorTokenFile(), "operator token");
  }

  /** The public key file beside a private key: 'bundle-signer.pem' → 'bundle-signer.pub.pem'. */
  public static Path publicKeyPath(Path privateKey) {
    var name = privateKey.getFileName().toString();
    var base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
    return privateKey.resolveSibling(base + ".pub.pem");
  }

  /** Reconciles once, then starts serving and the loop. */
  public ReconcilerServer start() {
    notifier.start();
    log(reconciler.reconcileOnce());
    refreshClaims();
    history.start();
    presence.start(java.time.Duration.ofSeconds(1));
    api.start();
    loop.start();
    return this;
  }

  public InetSocketAddress address() {
    return api.address();
  }

  /** Where {@code /metrics} is served; null when nowhere. */
  public InetSocketAddress metricsAddress() {
    return api.metricsAddress();
  }

  /** The operator token the server checks (configured, or the one it made). */
  public String operatorToken() throws IOException {
    return operatorToken(config);
  }

  /** The fleet repo's URL as it may be shown: without user information or the Git token. */
  public String redactedRepo() {
    return transports.redact(config.repo());
  }

  /** The certificate (chain) the API serves: the operator's file, or the self-signed one agents pin. */
  public Path serverCertificate() {
    return config.tlsCertificate() != null ? config.tlsCertificate() : config.tlsDir().resolve("server.pem");
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public StatusBoard statuses() {
    return statuses;
  }

  /** The transitions this reconciler recorded: receipts, devices going offline, rollout decisions, claims. */
  public History history() {
    return history;
  }

  /** Asks for a pass now, as the webhook does. */
  public void wakeUp() {
    wake.release();
  }

  private void run() {
    while (running) {
      try {
        wake.tryAcquire(config.interval().toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        if (running) {
          log(reconciler.reconcileOnce());
          refreshClaims();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void refreshClaims() {
    try {
      claims.refresh();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "read pending claims: " + e.getMessage() + "; retrying on the next pass");
    }
  }

  private FleetStatus lastLogged;

  private void log(FleetStatus status) {
    commitEvents.passed(status);
    var previous = lastLogged;
    lastLogged = status;
    if (status.ready()) {
      if (previous == null || !status.message().equals(previous.message()) || !previous.ready()) {
        LOG.log(System.Logger.Level.INFO, status.message());
      }
    } else if (previous == null || !status.message().equals(previous.message())) {
      LOG.log(System.Logger.Level.WARNING, "refuse commit: " + status.reason() + ": " + status.message()
          + (status.good() == null ? "" : "; devices keep the bundles of " + status.good().shortId()));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    wake.release();
    loop.interrupt();
    loop.join(10_000);
    claims.close();
    presence.close();
    notifier.close();
    board.close();
    api.close();
    try {
      history.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "close history: " + e.getMessage() + "; events not yet committed are lost");
    }
    repo.close();
    transports.close();
  }
}
