package dev.flotilla.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.trust.PinnedCa;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HttpCall over real TLS on loopback (the JDK's HttpsServer with a self-signed certificate made by keytool): a
 * pinned CA connects without loading the system's trust store; with no pinned factory the connection still goes
 * through the system's CAs, which do not trust the stand-in, so the handshake fails with a trust error. Each test
 * installs a {@link SystemTrustOnDemand} of its own as the default (the shared one may have loaded the trust store
 * in an earlier test of this JVM) and puts the agent's back afterwards.
 */
class HttpCallTlsIT {
  @TempDir
  Path dir;
  HttpsServer server;
  URI uri;
  final SystemTrustOnDemand systemTrust = new SystemTrustOnDemand();

  @BeforeEach
  void start() throws Exception {
    var password = "test-only";
    var store = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "stand-in", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=stand-in", "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-rfc", "-alias", "stand-in", "-keystore", store.toString(), "-storepass", password,
        "-file", dir.resolve("ca.pem").toString());
    var keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, password.toCharArray());
    }
    var managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password.toCharArray());
    var tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      var body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/v1/ping");
    HttpsURLConnection.setDefaultSSLSocketFactory(systemTrust);
  }

  @AfterEach
  void stop() {
    HttpsURLConnection.setDefaultSSLSocketFactory(SystemTrustOnDemand.INSTANCE);
    server.stop(0);
  }

  @Test
  void usingHttpCallChangesNoJvmWideStateOnlyTheAgentsMainInstallsItsFactory() throws Exception {
    java.lang.invoke.MethodHandles.lookup().ensureInitialized(HttpCall.class);
    assertThat(HttpsURLConnection.getDefaultSSLSocketFactory()).isSameAs(systemTrust);

    SystemTrustOnDemand.install();

    assertThat(HttpsURLConnection.getDefaultSSLSocketFactory()).isSameAs(SystemTrustOnDemand.INSTANCE);
  }

  @Test
  void aPinnedCaConnectsAndTheSystemTrustStoreIsNotLoaded() throws Exception {
    var pinned = PinnedCa.sslContext(dir.resolve("ca.pem")).getSocketFactory();
    var call = HttpCall.send("GET", uri, Map.of(), null, Duration.ofSeconds(10), pinned);

    assertThat(call.status()).isEqualTo(200);
    assertThat(new String(call.read(100), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(systemTrust.loaded()).isFalse();
  }

  @Test
  void withoutAPinnedFactoryTheSystemCasAreUsedAndDoNotTrustTheStandIn() throws Exception {
    var call = HttpCall.open("GET", uri, Map.of(), Duration.ofSeconds(10), null);

    assertThat(((HttpsURLConnection) call.connection()).getSSLSocketFactory()).isSameAs(systemTrust);
    assertThatThrownBy(() -> call.send(null)).isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("unable to find valid certification path");
    assertThat(systemTrust.loaded()).isTrue();
    assertThat(systemTrust.getDefaultCipherSuites())
        .containsExactly(SSLContext.getDefault().getSocketFactory().getDefaultCipherSuites());
  }

  private static void keytool(String... args) throws Exception {
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
  }
}
