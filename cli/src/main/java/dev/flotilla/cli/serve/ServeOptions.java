package dev.flotilla.cli.serve;

import dev.flotilla.api.ApiServer;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.cli.console.UserException;
import dev.flotilla.git.GitAccess;
import dev.flotilla.model.GitCredentials;
import dev.flotilla.model.HistorySettings;
import dev.flotilla.model.ReconcilerSettings;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of {@code flotilla serve}, one per key of the config file; {@link #config} lays them over the file's
 * values, then the defaults, into one {@link ReconcilerConfig}.
 */
public final class ServeOptions {
  @Option(names = "--repo", paramLabel = "URL", description = "The fleet repo: ssh://, https://, file:// or a path.")
  String repo;

  @Option(names = "--branch", description = "The branch to serve (default: main).")
  String branch;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Git mirror, bundle store, self-signed TLS identity (default: /var/lib/flotilla/reconciler).")
  Path workDir;

  @Option(names = "--signing-key", paramLabel = "FILE", description = "The bundle-signer private key (PEM).")
  Path signingKey;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "API address (default: 127.0.0.1:8443).")
  String listen;

  @Option(names = "--tls-certificate", paramLabel = "FILE",
      description = "PEM certificate chain (company CA or ACME), re-read when it changes; default: self-signed.")
  Path tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-certificate.")
  Path tlsKey;

  @Option(names = "--tls-name", paramLabel = "NAME", description = "A host name or IP for the self-signed certificate.")
  List<String> tlsNames;

  @Option(names = "--interval", paramLabel = "DURATION", description = "Fetch interval (default: 30s).")
  String interval;

  @Option(names = "--bundle-ttl", paramLabel = "DURATION", description = "Bundle lifetime (default: 7d).")
  String bundleTtl;

  @Option(names = {"--operator-token-file", "--hook-token-file"}, paramLabel = "FILE",
      description = "Bearer token of the operator endpoints: POST /v1/hooks/git, GET /v1/devices, the details of "
          + "/healthz (default: <work-dir>/operator-token, made on first start).")
  Path operatorTokenFile;

  @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
      description = "Where /metrics is served, plain HTTP (default: 127.0.0.1:9470; 'off' for nowhere).")
  String metricsListen;

  @Option(names = "--trusted-proxy", paramLabel = "IP",
      description = "A proxy whose X-Forwarded-For the claim rate limit believes (repeatable; default: none, the "
          + "socket peer counts).")
  List<String> trustedProxies;

  @Option(names = "--artifacts", paramLabel = "DIR",
      description = "Artifact store to serve at /v1/artifacts/<sha256> ('flotilla artifact add --store DIR').")
  Path artifacts;

  @Option(names = "--git-ssh-key", paramLabel = "FILE", description = "Deploy key for ssh:// fleet repos.")
  Path gitSshKey;

  @Option(names = "--git-known-hosts", paramLabel = "FILE",
      description = "known_hosts with the Git server's key; required with --git-ssh-key.")
  Path gitKnownHosts;

  @Option(names = "--git-token-file", paramLabel = "FILE", description = "HTTPS token for the fleet repo.")
  Path gitTokenFile;

  @Option(names = "--git-username", paramLabel = "NAME", description = "HTTPS user (default: x-access-token).")
  String gitUsername;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "text (default) or json: one line per event on stderr.")
  String logFormat;

  /** The log format: the flag, the file's, else text. */
  public String logFormat(ReconcilerSettings file) {
    var format = first(logFormat, file.getLogFormat() == null ? null : file.getLogFormat().value(), "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw usage("--log-format '" + format + "': use text or json");
    }
    return format;
  }

  /** The flags over {@code file} over the defaults. */
  public ReconcilerConfig config(ReconcilerSettings file) throws IOException {
    var repoUrl = first(repo, file.getRepo(), null);
    var key = first(signingKey, path(file.getSigningKey()), null);
    if (repoUrl == null || key == null) {
      throw usage("needs --repo and --signing-key (or 'repo' and 'signingKey' in --config)");
    }
    var certificate = first(tlsCertificate, path(file.getTlsCertificate()), null);
    var tlsKeyFile = first(tlsKey, path(file.getTlsKey()), null);
    if ((certificate == null) != (tlsKeyFile == null)) {
      throw usage("tlsCertificate and tlsKey go together; give both, or neither for a self-signed certificate");
    }
    var address = address(first(listen, file.getListen(), "127.0.0.1:8443"), "listen");
    var names = new ArrayList<>(List.of("localhost", "127.0.0.1"));
    names.addAll(first(tlsNames, file.getTlsNames(), List.<String>of()));
    var metrics = first(metricsListen, file.getMetricsListen(), ReconcilerConfig.DEFAULT_METRICS_LISTEN);
    var tokenFile = first(operatorTokenFile, path(first(file.getOperatorTokenFile(), file.getHookTokenFile(), null)),
        null);
    List<String> proxies = first(trustedProxies, file.getTrustedProxies(), List.<String>of());
    try {
      ApiServer.proxies(proxies);
      return new ReconcilerConfig(repoUrl, first(branch, file.getBranch(), "main"),
          first(workDir, path(file.getWorkDir()), Path.of("/var/lib/flotilla/reconciler")), key,
          address.getHostString(), address.getPort(), names, certificate, tlsKeyFile,
          Durations.parse(first(interval, file.getInterval(), "30s")),
          Durations.parse(first(bundleTtl, file.getBundleTTL(), "7d")),
          tokenFile == null ? null : operatorToken(tokenFile), first(artifacts, path(file.getArtifacts()), null),
          metrics.equals("off") ? null : address(metrics, "metrics listen"), proxies, git(file.getGit()),
          history(file.getHistory()));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private static ReconcilerConfig.HistoryKeeping history(HistorySettings file) {
    if (file == null) {
      return ReconcilerConfig.HistoryKeeping.DEFAULT;
    }
    var defaults = ReconcilerConfig.HistoryKeeping.DEFAULT;
    return new ReconcilerConfig.HistoryKeeping(
        file.getBatch() == null ? defaults.batch() : Durations.parse(file.getBatch()),
        file.getRetentionDays() == null ? defaults.retentionDays() : file.getRetentionDays().intValue());
  }

  private GitAccess git(GitCredentials file) {
    var credentials = file == null ? new GitCredentials() : file;
    var access = new GitAccess(first(gitSshKey, path(credentials.getSshKey()), null),
        first(gitKnownHosts, path(credentials.getKnownHosts()), null),
        first(gitTokenFile, path(credentials.getTokenFile()), null), first(gitUsername, credentials.getUsername(), null));
    if (access.sshKey() != null && access.knownHosts() == null) {
      throw usage("git.sshKey needs git.knownHosts (--git-known-hosts): the server's host key is pinned, never "
          + "learned; get it with 'ssh-keyscan -p PORT HOST' and check its fingerprint out of band");
    }
    return access;
  }

  /** {@code HOST:PORT}, unresolved (the server binds it). */
  static InetSocketAddress address(String text, String what) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw usage(what + " address '" + text + "' needs HOST:PORT");
    }
    try {
      return InetSocketAddress.createUnresolved(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw usage(what + " address '" + text + "': the port is not a number from 0 to 65535");
    }
  }

  private static String operatorToken(Path file) throws IOException {
    var token = Files.readString(file).strip();
    if (token.isEmpty()) {
      throw usage("operator token file '" + file + "' is empty");
    }
    return token;
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }

  private static <T> T first(T flag, T file, T fallback) {
    return flag != null ? flag : file != null ? file : fallback;
  }

  private static UserException usage(String message) {
    return new UserException(ExitCodes.USAGE, "serve: " + message);
  }
}
