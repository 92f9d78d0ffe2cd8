package dev.flotilla.cli;

import dev.flotilla.cli.serve.ServeOptions;
import dev.flotilla.cli.serve.SettingsFile;
import dev.flotilla.log.LogFormat;
import dev.flotilla.log.Logging;
import dev.flotilla.model.ReconcilerSettings;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.server.ReconcilerServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flotilla serve}: runs the reconciler until SIGTERM or SIGINT. Settings come from one YAML file
 * ({@code --config}, else {@code /etc/flotilla/reconciler.yaml} when it exists; {@code schemas/reconciler-config.yaml}),
 * and flags override it. Everything it says while running is a log line on stderr, one per event.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the reconciler: fetch the fleet repo, sign and serve bundles, take status reports.")
final class ServeCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger("flotilla.serve");

  @Option(names = "--config", paramLabel = "FILE",
      description = "The settings file (default: /etc/flotilla/reconciler.yaml when it exists); flags override it.")
  Path config;

  @Mixin
  ServeOptions options;

  /** The file read when {@code --config} is not given and it exists; tests point it elsewhere. */
  Path defaultConfig = SettingsFile.DEFAULT;

  @Override
  public Integer call() throws Exception {
    var file = file();
    var settings = options.config(file);
    Logging.install(LogFormat.parse(options.logFormat(file)), System.err);
    try (var server = new ReconcilerServer(settings, Clock.systemUTC())) {
      server.start();
      var metricsAt = server.metricsAddress();
      LOG.log(System.Logger.Level.INFO, "serve https://" + server.address().getHostString() + ":"
          + server.address().getPort() + ", fleet repo " + server.redactedRepo() + " (" + settings.branch()
          + "), server certificate " + server.serverCertificate() + ", metrics " + (metricsAt == null ? "off"
          : "http://" + metricsAt.getHostString() + ":" + metricsAt.getPort() + "/metrics") + ", operator token "
          + (settings.operatorToken() != null ? "as configured" : settings.operatorTokenFile().toString()));
      var stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return Flotilla.OK;
  }

  /** The settings file: --config, else the default one when it exists, else none (all from flags). */
  ReconcilerSettings file() {
    if (config != null) {
      return SettingsFile.read(config);
    }
    return Files.isRegularFile(defaultConfig) ? SettingsFile.read(defaultConfig) : new ReconcilerSettings();
  }

  ReconcilerConfig settings() throws IOException {
    return options.config(file());
  }
}
