package dev.flotilla.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (the CNCF Distribution registry) on a loopback
 * port, plain HTTP, filesystem storage under a temp directory, and Basic auth from an htpasswd file with one user.
 */
final class LocalRegistry implements AutoCloseable {
  static final String USER = "ci";
  static final String PASSWORD = "fleet-pass";
  /** bcrypt of {@link #PASSWORD} at cost 4: the registry checks it on every request, and cost 12 took a second. */
  private static final String HTPASSWD = USER + ":$2b$04$7LdkPnFpA0tfl2I62ZzUCO6DUXabVQM3SZrhDQOmjYPCe2R0yvcBO\n";
  private final Process process;
  final String address;
  final Path log;

  LocalRegistry(Path dir) throws IOException, InterruptedException {
    int port;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    address = "127.0.0.1:" + port;
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("htpasswd"), HTPASSWD);
    var config = dir.resolve("config.yml");
    Files.writeString(config, String.join("\n", "version: 0.1", "log:", "  level: warn", "storage:",
        "  filesystem:", "    rootdirectory: " + dir.resolve("data"), "http:", "  addr: " + address,
        "  secret: flotilla-test-secret", "auth:", "  htpasswd:", "    realm: flotilla-test",
        "    path: " + dir.resolve("htpasswd"), ""));
    log = dir.resolve("registry.log");
    process = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    awaitUp();
  }

  private void awaitUp() throws IOException, InterruptedException {
    var client = HttpClient.newHttpClient();
    var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var status = client.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    throw new IOException("docker-registry did not answer on " + address + ": " + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
