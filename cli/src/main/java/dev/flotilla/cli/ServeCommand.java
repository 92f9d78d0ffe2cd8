package dev.flotilla.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.reconcile.ReconcilerServer;
import dev.flotilla.schema.Durations;
import java.io.IOException;
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
      "keyStore", "keyStorePassword", "interval", "bundleTTL", "hookTokenFile", "artifacts");

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

  @Option(names = "--hook-token-file", paramLabel = "FILE",
      description = "Bearer token for POST /v1/hooks/git and GET /v1/devices (without one, GET /v1/devices "
          + "answers loopback callers only).")
  Path hookTokenFile;

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
    var address = pick(listen, file, "listen", "127.0.0.1:8443");
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: listen address '" + address + "' needs HOST:PORT");
    }
    var names = new ArrayList<String>(List.of("localhost", "127.0.0.1"));
    if (tlsNames != null) {
      names.addAll(tlsNames);
    } else if (file != null && file.has("tlsNames")) {
      file.get("tlsNames").forEach(n -> names.add(n.asText()));
    }
    var tokenFile = pick(hookTokenFile == null ? null : hookTokenFile.toString(), file, "hookTokenFile", null);
    var keyStore = pick(null, file, "keyStore", null);
    var store = pick(artifacts == null ? null : artifacts.toString(), file, "artifacts", null);
    var work = Path.of(pick(workDir == null ? null : workDir.toString(), file, "workDir", "/var/lib/flotilla/reconciler"));
    try {
      return new ReconcilerConfig(repoUrl, pick(branch, file, "branch", "main"), work, Path.of(key),
          address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), names,
          keyStore == null ? null : Path.of(keyStore),
          keyStore == null ? null : Path.of(pick(null, file, "keyStorePassword", keyStore + ".password")),
          Durations.parse(pick(interval, file, "interval", "30s")),
          Durations.parse(pick(bundleTtl, file, "bundleTTL", "7d")),
          tokenFile == null ? null : Files.readString(Path.of(tokenFile)).strip(),
          store == null ? null : Path.of(store));
    } catch (IllegalArgumentException e) {
      throw new Flotilla.UserException(Flotilla.USAGE, "serve: " + e.getMessage());
    }
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
