package dev.flotilla.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads a TLS identity as certificate authorities and ACME clients write it: a PEM certificate chain (leaf first)
 * and an unencrypted PEM private key, PKCS#8 ({@code PRIVATE KEY}) or the traditional {@code EC PRIVATE KEY} and
 * {@code RSA PRIVATE KEY} forms, which the JDK alone cannot read. Pure reads; throws IOException naming the file.
 */
public final class PemFiles {
  private PemFiles() {}

  /** A private key and the chain that goes with it, leaf first. */
  public record Identity(PrivateKey key, X509Certificate[] chain) {}

  /** Reads both files and checks the key belongs to the leaf certificate. */
  public static Identity identity(Path certificate, Path key) throws IOException {
    var chain = certificates(certificate);
    var privateKey = privateKey(key);
    if (!KeyPairs.matches(privateKey, chain[0].getPublicKey())) {
      throw new IOException("load TLS key '" + key + "': it is not the key of the certificate in '" + certificate
          + "'; was one of them renewed and not the other?");
    }
    return new Identity(privateKey, chain);
  }

  /** Every certificate in {@code file}, in order; at least one. */
  public static X509Certificate[] certificates(Path file) throws IOException {
    var result = new ArrayList<X509Certificate>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var pem = new PEMParser(in)) {
      for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          result.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (CertificateException | RuntimeException e) {
      throw new IOException("load TLS certificate '" + file + "': " + e.getMessage(), e);
    }
    if (result.isEmpty()) {
      throw new IOException("load TLS certificate '" + file + "': no PEM certificate in it");
    }
    return result.toArray(X509Certificate[]::new);
  }

  /** The one private key in {@code file}. */
  public static PrivateKey privateKey(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var pem = new PEMParser(in)) {
      var converter = new JcaPEMKeyConverter();
      for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return jdkKey(converter.getPrivateKey(pair.getPrivateKeyInfo()));
        }
        if (item instanceof PrivateKeyInfo info) {
          return jdkKey(converter.getPrivateKey(info));
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException("load TLS key '" + file + "': " + e.getMessage(), e);
    }
    throw new IOException("load TLS key '" + file + "': no unencrypted PEM private key in it");
  }

  /**
   * The same key as the JDK's own type: once BouncyCastle is a registered provider (Apache MINA sshd registers it
   * for Git over SSH) the converter returns its keys, whose algorithm {@code ECDSA} JSSE does not take for {@code
   * EC}.
   */
  private static PrivateKey jdkKey(PrivateKey key) throws GeneralSecurityException {
    var algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
    var factory = switch (algorithm) {
      case "EC", "Ed25519", "EdDSA" -> KeyFactory.getInstance(algorithm, "SunEC");
      case "RSA" -> KeyFactory.getInstance(algorithm, "SunRsaSign");
      default -> KeyFactory.getInstance(algorithm);
    };
    return factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
  }

  /** {@code items} as PEM text. */
  static String pem(List<?> items) throws IOException {
    var out = new java.io.StringWriter();
    try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      for (var item : items) {
        writer.writeObject(item);
      }
    }
    return out.toString();
  }
}
