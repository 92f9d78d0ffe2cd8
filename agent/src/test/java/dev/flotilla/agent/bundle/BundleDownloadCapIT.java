package dev.flotilla.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.host.apps.ArtifactDownload;
import dev.flotilla.bundle.BundleBytes;
import dev.flotilla.bundle.BundleFormat;
import dev.flotilla.digest.Digest;
import dev.flotilla.plan.InstallApp;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from a real HTTP server on loopback that sends more than it may: a bundle announced over the cap is
 * refused before its body is read, one sent without a length is cut off at the cap, and an artifact is cut off at
 * its signed size. The server counts what it managed to write before the agent hung up.
 */
class BundleDownloadCapIT {
  static final int CHUNK = 64 * 1024;
  HttpServer server;
  final AtomicLong written = new AtomicLong();
  volatile long announce;
  volatile long send;
  BundleClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, announce);
      try (var out = exchange.getResponseBody()) {
        var chunk = new byte[CHUNK];
        for (long left = send; left > 0; left -= CHUNK) {
          out.write(chunk, 0, (int) Math.min(CHUNK, left));
          written.addAndGet(Math.min(CHUNK, left));
        }
      } catch (IOException e) {
        // the agent hung up: what it refused is not read to the end
      }
      exchange.close();
    });
    server.start();
    var uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    client = new BundleClient(uri, null, "kiosk-1", Keys.generate().getPrivate(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aBundleAnnouncedOverTheCapIsRefusedBeforeItsBodyIsRead() {
    announce = 64L << 20;
    send = 64L << 20;

    assertThatThrownBy(() -> client.fetch(null, Duration.ZERO))
        .isInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("fetch bundle: it is 67108864 bytes, over the cap of 16 MiB (16777216 bytes)");
    assertThat(written.get()).as("bytes the server got out before the agent hung up").isLessThan(send);
  }

  @Test
  void aBundleWithoutALengthIsCutOffAtTheCap() {
    announce = 0; // chunked
    send = 64L << 20;

    assertThatThrownBy(() -> client.fetch(null, Duration.ZERO))
        .isInstanceOf(BundleBytes.TooLarge.class)
        .hasMessage("fetch bundle: it goes on past the cap of 16 MiB (16777216 bytes)");
    assertThat(written.get()).isLessThan(send);
  }

  @Test
  void aBundleUpToTheCapIsRead() throws Exception {
    announce = BundleFormat.MAX_BYTES;
    send = BundleFormat.MAX_BYTES;

    var fetched = (BundleClient.Fetch.Changed) client.fetch(null, Duration.ZERO);

    assertThat(fetched.bundle()).hasSize(BundleFormat.MAX_BYTES);
  }

  @Test
  void anArtifactIsCutOffAtItsSignedSize(@TempDir Path dir) {
    announce = 0;
    send = 64L << 20;
    var url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/artifacts/x";
    var artifact = new InstallApp.Artifact("x", Digest.sha256(new byte[1024]).toString(), 1024, List.of(url), false);

    assertThatThrownBy(() -> new ArtifactDownload(client::openArtifact).fetch(artifact, dir.resolve("x")))
        .hasMessage("'" + url + "' sends more than the signed 1024 bytes");
    assertThat(dir.resolve("x")).doesNotExist();
    assertThat(written.get()).isLessThan(send);
  }
}
