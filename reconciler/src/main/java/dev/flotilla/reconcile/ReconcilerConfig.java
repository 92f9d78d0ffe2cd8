package dev.flotilla.reconcile;

import dev.flotilla.git.GitAccess;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the reconciler is told, read once at the edge ({@code flotilla serve}: a YAML file, then flags).
 *
 * @param repo       the fleet repo's Git URL: a path, file://, http(s)://
 * @param branch     the branch to serve
 * @param workDir    the reconciler's own directory: the Git mirror, the bundle store, the TLS identity
 * @param signingKey the bundle-signer private key (PEM, PKCS#8); its public half must be in the trust root
 * @param listen     host and port of the API; port 0 picks a free one
 * @param tlsNames   host names and IP addresses of the self-signed certificate made when {@code tlsCertificate} is
 *                   null
 * @param tlsCertificate an operator's PEM certificate chain (leaf first), with its PEM key in {@code tlsKey}; both
 *                   are re-read when they change; null: a self-signed certificate in {@link #tlsDir()}
 * @param interval   how often to fetch when no webhook says so
 * @param bundleTtl  how long a bundle is valid; bundles are re-signed at half their life
 * @param operatorToken the Bearer token of the operator routes ({@code POST /v1/hooks/git}, {@code GET
 *                   /v1/devices}, the details of {@code /healthz}); null: made once into {@link #operatorTokenFile()}
 * @param artifactStore a content-addressed artifact store ({@code <dir>/sha256/<hex>}) served to devices at
 *                   {@code GET /v1/artifacts/<hex>}; null serves none
 * @param metricsListen where {@code /metrics} is served (plain HTTP); null for nowhere
 * @param trustedProxies IP addresses of proxies whose {@code X-Forwarded-For} the claim rate limit believes
 * @param git        credentials for the fleet repo's Git server
 */
public record ReconcilerConfig(String repo, String branch, Path workDir, Path signingKey, String listenHost,
    int listenPort, List<String> tlsNames, Path tlsCertificate, Path tlsKey, Duration interval,
    Duration bundleTtl, String operatorToken, Path artifactStore, InetSocketAddress metricsListen,
    List<String> trustedProxies, GitAccess git, HistoryKeeping history) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /**
   * How the history of transitions is kept on the status branch.
   *
   * @param batch how long events wait to be committed together
   * @param retentionDays how many days of day files the branch tip keeps
   */
  public record HistoryKeeping(Duration batch, int retentionDays) {
    public static final HistoryKeeping DEFAULT = new HistoryKeeping(Duration.ofSeconds(5), 400);

    public HistoryKeeping {
      if (batch.isNegative() || batch.isZero() || retentionDays < 1) {
        throw new IllegalArgumentException("history: batch must be positive and retentionDays at least 1, not "
            + batch + " and " + retentionDays);
      }
    }
  }
  public static final Duration DEFAULT_TTL = Duration.ofDays(7);
  public static final String DEFAULT_METRICS_LISTEN = "127.0.0.1:9470";

  public ReconcilerConfig {
    trustedProxies = List.copyOf(trustedProxies);
    git = git == null ? GitAccess.NONE : git;
    history = history == null ? HistoryKeeping.DEFAULT : history;
  }

  /** With the default history keeping. */
  public ReconcilerConfig(String repo, String branch, Path workDir, Path signingKey, String listenHost,
      int listenPort, List<String> tlsNames, Path tlsCertificate, Path tlsKey, Duration interval,
      Duration bundleTtl, String operatorToken, Path artifactStore, InetSocketAddress metricsListen,
      List<String> trustedProxies, GitAccess git) {
    this(repo, branch, workDir, signingKey, listenHost, listenPort, tlsNames, tlsCertificate, tlsKey, interval,
        bundleTtl, operatorToken, artifactStore, metricsListen, trustedProxies, git, HistoryKeeping.DEFAULT);
  }

  /** For embedding (the demo, tests): metrics on a free loopback port, no trusted proxies, no Git credentials. */
  public ReconcilerConfig(String repo, String branch, Path workDir, Path signingKey, String listenHost,
      int listenPort, List<String> tlsNames, Path tlsCertificate, Path tlsKey, Duration interval,
      Duration bundleTtl, String operatorToken, Path artifactStore) {
    this(repo, branch, workDir, signingKey, listenHost, listenPort, tlsNames, tlsCertificate, tlsKey, interval,
        bundleTtl, operatorToken, artifactStore, new InetSocketAddress("127.0.0.1", 0), List.of(), GitAccess.NONE,
        HistoryKeeping.DEFAULT);
  }

  /** This configuration with {@code access} to the Git server. */
  public ReconcilerConfig withGit(GitAccess access) {
    return new ReconcilerConfig(repo, branch, workDir, signingKey, listenHost, listenPort, tlsNames, tlsCertificate,
        tlsKey, interval, bundleTtl, operatorToken, artifactStore, metricsListen, trustedProxies, access, history);
  }

  public Path bundleDir() {
    return workDir.resolve("bundles");
  }

  public Path mirrorDir() {
    return workDir.resolve("fleet.git");
  }

  public Path tlsDir() {
    return workDir.resolve("tls");
  }

  /** Where the operator token is kept when none is configured (0600, made on first start). */
  public Path operatorTokenFile() {
    return workDir.resolve("operator-token");
  }
}
