package dev.flotilla.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.api.ApiServer;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.server.ReconcilerServer;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla serve}: runs the reconciler until SIGTERM or SIGINT. Settings come from one YAML file
 * ({@code --config}), and flags override it.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the reconciler: fetch the fleet repo, sign and serve bundles, take status reports.")
final class ServeCommand implements Callable<Integer> {
  private static final Set<String> KEYS = Set.of("repo", "branch", "workDir", "signingKey", "listen", "tlsNames",
      "keyStore", "keyStorePassword", "interval", "bundleTTL", "operatorTokenFile", "hookTokenFile", "artifacts",
      "metricsListen", "trustedProxies");

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "A YAML file with the settings below (camelCase keys).")
  Path config;

  @Option(names = "--repo", paramLabel = "URL", description = "The fleet repo: a path, file://, http(s)://.")
  String repo;

  @Option(names = "--branch", description = "The branch to serve (default: main).")
  String branch;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Git mirror, bundle store and TLS identity.")
  Path workDir;

  @Option(names = "--signing-key", paramLabel = "FILE", description = "The bundle-signer private key (PEM).")
  Path signingKey;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "API address (default: 127.0.0.1:8443).")
  String listen;

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

  @Override
  public Integer call() throws Exception {
    var settings = settings();
    try (var server = new ReconcilerServer(settings, Clock.systemUTC())) {
      server.start();
      var out = spec.commandLine().getOut();
      out.println("flotilla serve: https://" + server.address().getHostString() + ":" + server.address().getPort()
          + ", fleet repo " + settings.repo() + " (" + settings.branch() + "), server certificate "
          + server.serverCertificate());
      var metricsAt = server.metricsAddress();
      out.println("metrics: " + (metricsAt == null ? "off" : "http://" + metricsAt.getHostString() + ":"
          + metricsAt.getPort() + "/metrics") + "; operator token: " + (settings.operatorToken() != null
          ? "as configured" : settings.operatorTokenFile().toString()));
      out.println(server.reconciler().status().message());
      out.flush();
      var stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return Flotilla.OK;
  }

  ReconcilerConfig settings() throws IOException {
    var file = config == null ? null : read(config);
    var repoUrl = pick(repo, file, "repo", null);
    var key = pick(signingKey == null ? null : signingKey.toString(), file, "signingKey", null);
    if (repoUrl == null || key == null) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: needs --repo and --signing-key (or 'repo' and"
          + " 'signingKey' in --config)");
    }
    var address = address(pick(listen, file, "listen", "127.0.0.1:8443"), "listen");
    var names = new ArrayList<String>(List.of("localhost", "127.0.0.1"));
    if (tlsNames != null) {
      names.addAll(tlsNames);
    } else if (file != null && file.has("tlsNames")) {
      file.get("tlsNames").forEach(n -> names.add(n.asText()));
    }
    var tokenFile = pick(operatorTokenFile == null ? null : operatorTokenFile.toString(), file, "operatorTokenFile",
        pick(null, file, "hookTokenFile", null));
    var metrics = pick(metricsListen, file, "metricsListen", ReconcilerConfig.DEFAULT_METRICS_LISTEN);
    var keyStore = pick(null, file, "keyStore", null);
    var store = pick(artifacts == null ? null : artifacts.toString(), file, "artifacts", null);
    var work = Path.of(pick(workDir == null ? null : workDir.toString(), file, "workDir", "/var/lib/flotilla/reconciler"));
    try {
      var settings = new ReconcilerConfig(repoUrl, pick(branch, file, "branch", "main"), work, Path.of(key),
          address.getHostString(), address.getPort(), names,
          keyStore == null ? null : Path.of(keyStore),
          keyStore == null ? null : Path.of(pick(null, file, "keyStorePassword", keyStore + ".password")),
          Durations.parse(pick(interval, file, "interval", "30s")),
          Durations.parse(pick(bundleTtl, file, "bundleTTL", "7d")),
          tokenFile == null ? null : operatorToken(Path.of(tokenFile)), store == null ? null : Path.of(store),
          metrics.equals("off") ? null : address(metrics, "metrics listen"), proxies(file));
      ApiServer.proxies(settings.trustedProxies());
      return settings;
    } catch (IllegalArgumentException e) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: " + e.getMessage());
    }
  }

  /** {@code HOST:PORT}, unresolved (the server binds it). */
  private static InetSocketAddress address(String text, String what) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: " + what + " address '" + text + "' needs HOST:PORT");
    }
    try {
      return InetSocketAddress.createUnresolved(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: " + what + " address '" + text
          + "': the port is not a number from 0 to 65535");
    }
  }

  private static String operatorToken(Path file) throws IOException {
    var token = Files.readString(file).strip();
    if (token.isEmpty()) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: operator token file '" + file + "' is empty");
    }
    return token;
  }

  private List<String> proxies(JsonNode file) {
    if (trustedProxies != null) {
      return trustedProxies;
    }
    var result = new ArrayList<String>();
    if (file != null && file.has("trustedProxies")) {
      file.get("trustedProxies").forEach(n -> result.add(n.asText()));
    }
    return result;
  }

  private static String pick(String flag, JsonNode file, String key, String fallback) {
    if (flag != null) {
      return flag;
    }
    return file != null && file.hasNonNull(key) ? file.get(key).asText() : fallback;
  }

  private static JsonNode read(Path file) throws IOException {
    var node = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .readTree(file.toFile());
    if (node == null || !node.isObject()) {
      throw new Flotilla.UserException(Flotilla.USAGE, "read '" + file + "': expected a mapping of settings");
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      var name = names.next();
      if (!KEYS.contains(name)) {
        throw new Flotilla.UserException(Flotilla.USAGE, "read '" + file + "': unknown setting '" + name
            + "'; known: " + new java.util.TreeSet<>(KEYS));
      }
    }
    return node;
  }
}
