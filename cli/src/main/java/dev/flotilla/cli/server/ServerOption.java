package dev.flotilla.cli.server;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --server}, {@code --token-file} and {@code --server-ca} options of commands that ask a reconciler. */
public final class ServerOption {
  @Option(names = "--server", paramLabel = "URL", description = "A running reconciler to ask, e.g. "
      + "https://reconciler:8443.")
  URI server;

  @Option(names = "--token-file", paramLabel = "F", description = "The reconciler's operator token (Bearer).")
  Path tokenFile;

  @Option(names = "--server-ca", paramLabel = "PEM", description = "Trust only this certificate for --server.")
  Path serverCa;

  /** The client of the reconciler given; null when no {@code --server} was given. */
  public ReconcilerClient client() {
    return server == null ? null : new ReconcilerClient(server, tokenFile, serverCa);
  }
}
