package dev.flotilla.trust;

import dev.flotilla.digest.Digest;
import dev.flotilla.io.Leftovers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ECDSA P-256 keys with plain JCA: making them, PEM in and out (SPKI public, PKCS#8 private), key ids, signing and
 * verifying SHA256withECDSA in DER form. Private key files are created 0600 before a byte is written to them.
 */
public final class Keys {
  private static final String PUBLIC = "PUBLIC KEY";
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String TEMP_PREFIX = ".key-";
  /** What {@link #write} names its temp files: {@link Files#createTempFile} puts an unsigned decimal in the middle. */
  private static final Pattern TEMP = Pattern.compile(Pattern.quote(TEMP_PREFIX) + "[0-9]+\\.tmp");
  /** The one kind of key {@link #kind} names that Flotilla signs and verifies with. */
  public static final String P256 = "ECDSA P-256";

  private Keys() {}

  public static KeyPair generate() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("make an ECDSA P-256 key: " + e.getMessage(), e);
    }
  }

  public static String publicPem(PublicKey key) {
    return pem(PUBLIC, key.getEncoded());
  }

  /**
   * Parses an SPKI PEM holding an ECDSA P-256 key, the one kind of public key Flotilla takes anywhere: device keys,
   * claim keys and trust-root keys all come through here. Leading indentation and surrounding blank lines are fine.
   * Throws {@link IllegalArgumentException} {@code read public key: <why>} with {@link #refusal}'s reason otherwise.
   */
  public static PublicKey parsePublicPem(String pem) {
    var refused = refusal(pem);
    if (refused != null) {
      throw new IllegalArgumentException("read public key: " + refused.reason());
    }
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(PUBLIC, pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("read public key: " + e.getMessage(), e);
    }
  }

  /**
   * Why {@code pem} is refused as a public key: {@code reason} in a few words, never the text; {@code key} says the
   * text does hold a public key, only of another kind than {@link #P256}.
   */
  public record Refused(String reason, boolean key) {}

  /** Why {@link #parsePublicPem} refuses {@code pem}, or null when it holds an ECDSA P-256 public key. Pure. */
  public static Refused refusal(String pem) {
    if (pem == null) {
      return new Refused("no public key", false);
    }
    String kind;
    try {
      kind = kind(pem);
    } catch (IllegalArgumentException e) {
      return new Refused("not a PEM public key (" + e.getMessage() + ")", false);
    }
    return P256.equals(kind) ? null : new Refused(article(kind) + " " + kind + " key", true);
  }

  private static String article(String kind) {
    return "AEIOU".indexOf(kind.charAt(0)) >= 0 || kind.startsWith("RSA") || kind.startsWith("X") ? "an" : "a";
  }

  /**
   * What kind of key an SPKI PEM holds, to name it when refusing one: {@link #P256}, {@code ECDSA P-384}, {@code RSA},
   * {@code Ed25519} and so on. Throws {@link IllegalArgumentException} saying in a few words, without the key, why
   * the text holds no public key.
   */
  public static String kind(String pem) {
    byte[] spki;
    try {
      spki = der(PUBLIC, pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(pem.strip().startsWith("ssh-") || pem.strip().startsWith("ecdsa-sha2-")
          ? "an OpenSSH key" : pem.contains("-----BEGIN " + PUBLIC + "-----")
          ? "its base64 does not decode" : "no '-----BEGIN " + PUBLIC + "-----' block", e);
    }
    for (var algorithm : new String[] {"EC", "RSA", "EdDSA", "XDH", "DSA"}) {
      try {
        return kind(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki)));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException("its base64 is not a public key");
  }

  private static String kind(PublicKey key) throws GeneralSecurityException {
    if (key instanceof ECPublicKey ec) {
      var p256 = AlgorithmParameters.getInstance("EC");
      p256.init(new ECGenParameterSpec("secp256r1"));
      var curve = p256.getParameterSpec(ECParameterSpec.class);
      return ec.getParams().getCurve().equals(curve.getCurve()) && ec.getParams().getOrder().equals(curve.getOrder())
          ? P256 : "ECDSA P-" + ec.getParams().getCurve().getField().getFieldSize();
    }
    if (key instanceof EdECPublicKey ed) {
      return ed.getParams().getName();
    }
    if (key instanceof XECPublicKey xec && xec.getParams() instanceof NamedParameterSpec named) {
      return named.getName();
    }
    return key.getAlgorithm();
  }

  /** Lowercase hex sha256 of the DER SubjectPublicKeyInfo: the key's id in the trust root. */
  public static String keyId(PublicKey key) {
    return Digest.sha256(key.getEncoded()).hex();
  }

  /** Base64 sha256 of the DER SubjectPublicKeyInfo: Sigstore's {@code publicKey.hint}. */
  public static String hint(PublicKey key) {
    return Base64.getEncoder().encodeToString(sha256(key.getEncoded()));
  }

  /** Writes a private key as PKCS#8 PEM, mode 0600; refuses to replace an existing file. */
  public static void writePrivate(Path file, PrivateKey key) throws IOException {
    write(file, pem(PRIVATE, key.getEncoded()), "rw-------");
  }

  public static void writePublic(Path file, PublicKey key) throws IOException {
    write(file, publicPem(key), "rw-r--r--");
  }

  public static PrivateKey readPrivate(Path file) throws IOException {
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(PRIVATE, Files.readString(file))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("read private key '" + file + "': not an ECDSA P-256 key in PKCS#8 PEM", e);
    }
  }

  public static PublicKey readPublic(Path file) throws IOException {
    try {
      return parsePublicPem(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IOException("read public key '" + file + "': " + e.getMessage(), e);
    }
  }

  public static byte[] sign(PrivateKey key, byte[] data) {
    try {
      var signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(key);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sign: " + e.getMessage(), e);
    }
  }

  /** False for a wrong or malformed signature; never throws for bad input. */
  public static boolean verify(PublicKey key, byte[] data, byte[] derSignature) {
    try {
      var signature = Signature.getInstance("SHA256withECDSA");
      signature.initVerify(key);
      signature.update(data);
      return signature.verify(derSignature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static byte[] sha256(byte[] data) {
    return Digest.newSha256().digest(data);
  }

  private static String pem(String type, byte[] der) {
    var body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String type, String pem) {
    var text = pem.strip();
    var begin = "-----BEGIN " + type + "-----";
    var end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("no '" + begin + "' block");
    }
    var base64 = text.substring(from + begin.length(), to).replaceAll("\\s+", "");
    return Base64.getDecoder().decode(base64);
  }

  /**
   * Removes the temp files a key write interrupted by a crash left in {@code directory} ({@code .key-<digits>.tmp},
   * which may hold a private key); nothing else.
   *
   * @return the files removed
   */
  public static List<Path> removeTempFiles(Path directory) throws IOException {
    return Leftovers.remove(directory, TEMP);
  }

  private static void write(Path file, String content, String mode) throws IOException {
    var dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "refusing to replace a key file");
    }
    var temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    try {
      Files.writeString(temp, content);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
