package dev.flotilla.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates made in-process: an EC P-256 key and a certificate for a list of host names and IP
 * addresses. For trials and tests; production uses a certificate from the company CA or ACME ({@code tls} in the
 * reconciler config). Nothing is passed to another process, so no secret ever appears on a command line.
 */
public final class SelfSigned {
  /** 825 days: what browsers and most TLS clients still accept for a leaf. */
  public static final Duration VALIDITY = Duration.ofDays(825);

  private SelfSigned() {}

  /** A new key pair and a certificate of it for {@code names}, signed by itself, valid from now for {@code validity}. */
  public static PemFiles.Identity make(String commonName, List<String> names, Instant now, Duration validity)
      throws IOException {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      var pair = generator.generateKeyPair();
      return new PemFiles.Identity(pair.getPrivate(), new X509Certificate[] {
          certificate(pair, commonName, names, now, validity)});
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("make a self-signed TLS certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate certificate(KeyPair pair, String commonName, List<String> names, Instant now,
      Duration validity) throws GeneralSecurityException, OperatorCreationException, CertIOException {
    var subject = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_"));
    var serial = new BigInteger(127, new SecureRandom());
    var builder = new JcaX509v3CertificateBuilder(subject, serial, Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(validity)), subject, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** Host names as DNS names, literals as IP addresses. */
  static GeneralNames alternativeNames(List<String> names) {
    return new GeneralNames(names.stream().distinct()
        .map(name -> new GeneralName(isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name))
        .toArray(GeneralName[]::new));
  }

  private static boolean isAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  /**
   * Writes {@code identity} as {@code key} (0600, PKCS#8) and {@code certificate}, each through a temporary file
   * renamed into place, the key first, so a reader never sees a certificate without its key.
   */
  public static void write(PemFiles.Identity identity, Path certificate, Path key) throws IOException {
    Files.createDirectories(key.toAbsolutePath().getParent());
    var partialKey = key.resolveSibling(key.getFileName() + ".partial");
    Files.deleteIfExists(partialKey);
    Files.createFile(partialKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partialKey, PemFiles.pem(List.of(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
        identity.key(), null))));
    var partialCertificate = certificate.resolveSibling(certificate.getFileName() + ".partial");
    Files.writeString(partialCertificate, PemFiles.pem(List.of(identity.chain())));
    Files.move(partialKey, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.move(partialCertificate, certificate, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
