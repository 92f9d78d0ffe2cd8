package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.api.ServerTls;
import dev.flotilla.trust.PinnedCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate replaced on disk is served to the next connection without a restart, and a client that pins a
 * bundle of the old and the new certificate connects before and after, as agents do during a rotation; a client
 * that pins only the old one is refused after it.
 */
class CertificateRotationIT {
  @TempDir
  Path dir;

  HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void newConnectionsGetTheNewCertificateAndABundlePinnedClientKeepsConnecting() throws Exception {
    var now = Instant.now();
    var old = SelfSigned.make("old", List.of("127.0.0.1"), now, Duration.ofDays(1));
    var next = SelfSigned.make("new", List.of("127.0.0.1"), now, Duration.ofDays(1));
    var certificate = dir.resolve("fullchain.pem");
    var key = dir.resolve("privkey.pem");
    SelfSigned.write(old, certificate, key);
    Files.writeString(dir.resolve("bundle.pem"), PemFiles.pem(List.of(old.chain()[0], next.chain()[0])));
    Files.writeString(dir.resolve("old-only.pem"), PemFiles.pem(List.of(old.chain()[0])));
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(ServerTls.context(certificate, key)));
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();

    assertThat(served("bundle.pem")).isEqualTo(old.chain()[0]);
    SelfSigned.write(next, certificate, key);
    Thread.sleep(ReloadingKeyManager.CHECK_EVERY_NANOS / 1_000_000 + 50);

    assertThat(served("bundle.pem")).isEqualTo(next.chain()[0]);
    assertThatThrownBy(() -> served("old-only.pem")).isInstanceOf(SSLHandshakeException.class);
  }

  /** The certificate a new connection pinned to {@code pinned} is served. */
  private X509Certificate served(String pinned) throws Exception {
    var url = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/").toURL();
    var connection = (HttpsURLConnection) url.openConnection();
    connection.setSSLSocketFactory(PinnedCa.sslContext(dir.resolve(pinned)).getSocketFactory());
    try {
      connection.connect();
      var certificate = (X509Certificate) connection.getServerCertificates()[0];
      assertThat(connection.getResponseCode()).isEqualTo(204);
      return certificate;
    } finally {
      connection.disconnect();
    }
  }
}
