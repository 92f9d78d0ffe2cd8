package dev.flotilla.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key and certificate chain, read from PEM files and read again when either file changes, so a
 * renewed or rotated certificate is used by the next handshake without a restart. The files are looked at (two
 * stat calls) at each new handshake, never more than once per {@link #CHECK_EVERY_NANOS}; a pair that does not load
 * (a key written before its certificate, a half-written file) keeps the previous identity in use and is tried again
 * at the next check. Thread-safe.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "flotilla";
  static final long CHECK_EVERY_NANOS = 200_000_000L;

  private record Loaded(PemFiles.Identity identity, List<FileTime> stamps) {}

  private final Path certificate;
  private final Path key;
  private static final System.Logger LOG = System.getLogger("flotilla.tls");
  private volatile Loaded loaded;
  private volatile long checkedAt;
  private volatile List<FileTime> refused;

  /** Loads the pair now; throws IOException naming the file when it does not load. */
  public ReloadingKeyManager(Path certificate, Path key) throws IOException {
    this.certificate = certificate;
    this.key = key;
    var stamps = stamps();
    loaded = new Loaded(PemFiles.identity(certificate, key), stamps);
    checkedAt = System.nanoTime();
  }

  /** The chain in use now, leaf first. */
  public X509Certificate[] chain() {
    refresh();
    return loaded.identity().chain().clone();
  }

  /** Loads the files again if they changed since the last load; returns whether the identity in use changed. */
  public synchronized boolean reload() {
    checkedAt = System.nanoTime();
    List<FileTime> stamps;
    try {
      stamps = stamps();
    } catch (IOException e) {
      return false;
    }
    if (stamps.equals(loaded.stamps()) || stamps.equals(refused)) {
      return false;
    }
    try {
      loaded = new Loaded(PemFiles.identity(certificate, key), stamps);
      refused = null;
      LOG.log(System.Logger.Level.INFO, "reload TLS certificate '" + certificate + "': now " + loaded.identity().chain()[0]
          .getSubjectX500Principal().getName() + ", valid until " + loaded.identity().chain()[0].getNotAfter()
          .toInstant());
      return true;
    } catch (IOException e) {
      refused = stamps;
      LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; still serving the previous certificate");
      return false;
    }
  }

  private void refresh() {
    if (System.nanoTime() - checkedAt >= CHECK_EVERY_NANOS) {
      reload();
    }
  }

  private List<FileTime> stamps() throws IOException {
    return List.of(Files.getLastModifiedTime(certificate), FileTime.fromMillis(Files.size(certificate)),
        Files.getLastModifiedTime(key), FileTime.fromMillis(Files.size(key)));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    refresh();
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    refresh();
    return fits(keyType) ? ALIAS : null;
  }

  /** Whether the key in use serves {@code keyType} ({@code EC}, {@code RSA}, {@code RSASSA-PSS}, {@code EC_EC} …). */
  private boolean fits(String keyType) {
    var algorithm = loaded.identity().key().getAlgorithm();
    return keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")
        || algorithm.equals("RSA") && keyType.equals("RSASSA-PSS");
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? loaded.identity().chain().clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? loaded.identity().key() : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
