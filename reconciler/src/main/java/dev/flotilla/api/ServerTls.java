package dev.flotilla.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The reconciler's TLS identity: a PKCS#12 key store given by the operator, or a self-signed EC certificate made
 * on first start with the JDK's keytool (the JDK has no public API to issue certificates). Its PEM,
 * {@code server.pem}, is what agents pin as {@code serverCa}.
 */
public final class ServerTls {
  private ServerTls() {}

  /** The SSL context of {@code keyStore}, whose password is in {@code passwordFile}. */
  public static SSLContext context(Path keyStore, Path passwordFile) throws IOException {
    var password = Files.readString(passwordFile).strip().toCharArray();
    try (InputStream in = Files.newInputStream(keyStore)) {
      var store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      var context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("load TLS key store '" + keyStore + "': " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code dir/server.p12}, {@code dir/password} (0600) and {@code dir/server.pem} for {@code names} (host
   * names and IP addresses) unless they exist. Returns the key store's path.
   */
  public static Path selfSigned(Path dir, List<String> names) throws IOException {
    var store = dir.resolve("server.p12");
    if (Files.exists(store)) {
      return store;
    }
    Files.createDirectories(dir);
    var password = dir.resolve("password");
    var secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    Files.deleteIfExists(password);
    Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, HexFormat.of().formatHex(secret));
    var pw = Files.readString(password);
    var san = new ArrayList<String>();
    for (var name : names) {
      san.add((name.matches("[0-9.]+|.*:.*") ? "ip:" : "dns:") + name);
    }
    var partial = dir.resolve("server.p12.partial");
    Files.deleteIfExists(partial);
    keytool("-genkeypair", "-alias", "flotilla", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825",
        "-dname", "CN=flotilla-reconciler", "-ext", "SAN=" + String.join(",", san),
        "-keystore", partial.toString(), "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
    keytool("-exportcert", "-rfc", "-alias", "flotilla", "-keystore", partial.toString(), "-storepass", pw,
        "-file", dir.resolve("server.pem").toString());
    Files.move(partial, store);
    return store;
  }

  private static void keytool(String... args) throws IOException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      var output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("make a TLS certificate with keytool: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("make a TLS certificate: interrupted", e);
    }
  }
}
