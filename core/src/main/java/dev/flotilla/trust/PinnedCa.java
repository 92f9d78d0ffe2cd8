package dev.flotilla.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS that trusts only the reconciler's CA, as the agent and the CLI pin it; never the system's CAs. */
public final class PinnedCa {
  private PinnedCa() {}

  /**
   * An SSL context trusting only the certificates in {@code caPem}.
   *
   * @throws IOException when the file cannot be read or holds no usable certificate
   */
  public static SSLContext sslContext(Path caPem) throws IOException {
    try (InputStream in = Files.newInputStream(caPem)) {
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      var context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("load server CA '" + caPem + "': " + e.getMessage(), e);
    }
  }
}
