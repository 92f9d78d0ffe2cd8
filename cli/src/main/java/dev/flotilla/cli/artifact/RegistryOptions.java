package dev.flotilla.cli.artifact;

import dev.flotilla.oci.RegistryAccess;
import dev.flotilla.trust.PinnedCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command reaches an OCI registry: TLS (system CAs or --registry-ca) or plain HTTP, and an optional login. */
public final class RegistryOptions {
  @Option(names = "--registry-ca", paramLabel = "PEM", description = "The CA the registry's certificate chains to.")
  Path ca;

  @Option(names = "--registry-plain-http", description = "Reach the registry over plain HTTP (trusted networks only).")
  boolean plainHttp;

  @Option(names = "--registry-user", paramLabel = "USER", description = "Log in as USER when the registry asks.")
  String user;

  @Option(names = "--registry-password-file", paramLabel = "FILE",
      description = "A file holding USER's password or token (never give it on the command line).")
  Path passwordFile;

  /** The access these options describe for {@code registry}. */
  public RegistryAccess access(String registry) throws IOException {
    var tls = ca == null ? null : PinnedCa.sslContext(ca).getSocketFactory();
    var password = passwordFile == null ? null : Files.readString(passwordFile).strip();
    return new RegistryAccess(registry, plainHttp, tls, user, password);
  }
}
