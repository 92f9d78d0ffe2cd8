package dev.flotilla.api;

import dev.flotilla.tls.PemFiles;
import dev.flotilla.tls.ReloadingKeyManager;
import dev.flotilla.tls.SelfSigned;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The reconciler's TLS identity: a PEM certificate chain and key given by the operator (a company CA's or an ACME
 * client's files), re-read when they change, or a self-signed EC certificate made in-process on first start for
 * trials. Its PEM, {@code server.pem}, is what agents pin as {@code serverCa}; operators with their own CA give
 * agents the CA's certificate (or a bundle of the old and the new CA while rotating).
 */
public final class ServerTls {
  private ServerTls() {}

  /** An SSL context serving the pair in {@code certificate} and {@code key}, re-read when either file changes. */
  public static SSLContext context(Path certificate, Path key) throws IOException {
    return context(new ReloadingKeyManager(certificate, key));
  }

  /** An SSL context whose server identity is what {@code keys} holds at each handshake. */
  public static SSLContext context(ReloadingKeyManager keys) throws IOException {
    try {
      var context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code dir/server.key.pem} (0600) and {@code dir/server.pem} for {@code names} (host names and IP
   * addresses) unless they exist. A work directory of an earlier version, which holds {@code server.p12} and its
   * {@code password}, has that key and certificate written as PEM instead, so agents that pinned it keep working.
   * Returns the certificate's path; the key is {@link #selfSignedKey(Path)}.
   */
  public static Path selfSigned(Path dir, List<String> names) throws IOException {
    var certificate = dir.resolve("server.pem");
    var key = selfSignedKey(dir);
    if (Files.exists(key) && Files.exists(certificate)) {
      return certificate;
    }
    var legacy = dir.resolve("server.p12");
    var identity = Files.exists(legacy) ? fromKeyStore(legacy, dir.resolve("password"))
        : SelfSigned.make("flotilla-reconciler", names, Instant.now(), SelfSigned.VALIDITY);
    SelfSigned.write(identity, certificate, key);
    return certificate;
  }

  public static Path selfSignedKey(Path dir) {
    return dir.resolve("server.key.pem");
  }

  private static PemFiles.Identity fromKeyStore(Path store, Path passwordFile) throws IOException {
    var password = Files.readString(passwordFile).strip().toCharArray();
    try (InputStream in = Files.newInputStream(store)) {
      var keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, password);
      var alias = keyStore.aliases().nextElement();
      var chain = Arrays.stream(keyStore.getCertificateChain(alias)).map(X509Certificate.class::cast)
          .toArray(X509Certificate[]::new);
      return new PemFiles.Identity((PrivateKey) keyStore.getKey(alias, password), chain);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException("read TLS key store '" + store + "': " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
