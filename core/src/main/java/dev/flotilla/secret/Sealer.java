package dev.flotilla.secret;

import dev.flotilla.trust.Keys;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KEM;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets to a device's ECDSA P-256 key and opens them with its private half, HPKE-style (RFC 9180's base
 * mode, one shot): the JDK's DHKEM(P-256, HKDF-SHA256) ({@code KEM.getInstance("DHKEM")}, in the JDK since 21)
 * gives a fresh shared secret and its 65-byte encapsulation; HKDF-SHA256 (salt: the encapsulation, info: the
 * {@link SealedSecret#context}) makes a one-time AES-256-GCM key and nonce; the same context is the associated
 * data. So a ciphertext opens only under its own name, device, key fingerprint and serial. Thread-safe; no state.
 */
public final class Sealer {
  private static final int ENCAPSULATION = 65;
  private static final int KEY = 32;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private Sealer() {}

  /**
   * Seals {@code plaintext} as {@code name} for {@code device} under {@code key}.
   *
   * @throws IllegalArgumentException when {@code key} is not an EC P-256 key
   */
  public static SealedSecret seal(String name, String device, PublicKey key, long serial, byte[] plaintext) {
    try {
      var encapsulated = KEM.getInstance("DHKEM").newEncapsulator(key).encapsulate();
      var shared = encapsulated.key().getEncoded();
      var enc = encapsulated.encapsulation();
      var unsealed = new SealedSecret(name, device, Keys.keyId(key), serial, new byte[0]);
      var sealed = cipher(Cipher.ENCRYPT_MODE, shared, enc, unsealed.context()).doFinal(plaintext);
      Arrays.fill(shared, (byte) 0);
      var out = Arrays.copyOf(enc, enc.length + sealed.length);
      System.arraycopy(sealed, 0, out, enc.length, sealed.length);
      return new SealedSecret(name, device, unsealed.keyFingerprint(), serial, out);
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalArgumentException("seal secret '" + name + "' for '" + device + "': the device key is not"
          + " an EC P-256 key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("seal secret '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * Opens {@code sealed} with this device's key pair, after checking that it is meant for {@code name} on
   * {@code device} under this very key, and that its serial is not below {@code minSerial} (the last one this
   * device wrote under the name, so an old value put back is refused).
   *
   * @throws SealException naming the secret and why, never a byte of the value
   */
  public static byte[] open(SealedSecret sealed, String name, String device, KeyPair deviceKey, long minSerial)
      throws SealException {
    return open(sealed, name, device, deviceKey.getPrivate(), Keys.keyId(deviceKey.getPublic()), minSerial);
  }

  /**
   * As {@link #open(SealedSecret, String, String, KeyPair, long)} for a device that holds only its private key:
   * {@code fingerprint} is its public key's, or null when unknown (then a value sealed to another key is refused
   * by the cipher, with a message that says so).
   */
  public static byte[] open(SealedSecret sealed, String name, String device, PrivateKey key, String fingerprint,
      long minSerial) throws SealException {
    var what = "open sealed secret '" + name + "'";
    if (!sealed.name().equals(name)) {
      throw new SealException(what + ": it was sealed as '" + sealed.name() + "'; seal it under this name");
    }
    if (!sealed.device().equals(device)) {
      throw new SealException(what + ": it was sealed for device '" + sealed.device() + "', not '" + device + "'");
    }
    var have = fingerprint;
    if (have != null && !sealed.keyFingerprint().equals(have)) {
      throw new SealException(what + ": it was sealed to key " + abbreviated(sealed.keyFingerprint())
          + ", this device has key " + abbreviated(have) + "; run 'flotilla secret reseal " + name + "'");
    }
    if (sealed.serial() < minSerial) {
      throw new SealException(what + ": serial " + sealed.serial() + " is older than serial " + minSerial
          + " already written; an old value was put back, seal the current one again");
    }
    return decrypt(sealed, what, key);
  }

  private static byte[] decrypt(SealedSecret sealed, String what, PrivateKey key) throws SealException {
    var blob = sealed.ciphertext();
    if (blob.length < ENCAPSULATION + TAG_BITS / 8) {
      throw new SealException(what + ": the ciphertext is truncated");
    }
    var enc = Arrays.copyOf(blob, ENCAPSULATION);
    try {
      var shared = KEM.getInstance("DHKEM").newDecapsulator(key).decapsulate(enc).getEncoded();
      var cipher = cipher(Cipher.DECRYPT_MODE, shared, enc, sealed.context());
      Arrays.fill(shared, (byte) 0);
      return cipher.doFinal(blob, ENCAPSULATION, blob.length - ENCAPSULATION);
    } catch (AEADBadTagException e) {
      throw new SealException(what + ": it does not open with this device's key, or the ciphertext or its name,"
          + " device, key or serial was changed; if the device's key changed, run 'flotilla secret reseal "
          + sealed.name() + "'");
    } catch (GeneralSecurityException e) {
      throw new SealException(what + ": the ciphertext is malformed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Cipher cipher(int mode, byte[] shared, byte[] enc, byte[] context) throws GeneralSecurityException {
    var okm = Hkdf.expand(Hkdf.extract(enc, shared), context, KEY + NONCE);
    var cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(okm, 0, KEY, "AES"),
        new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(okm, KEY, KEY + NONCE)));
    Arrays.fill(okm, (byte) 0);
    cipher.updateAAD(context);
    return cipher;
  }

  private static String abbreviated(String fingerprint) {
    return fingerprint.length() > 16 ? fingerprint.substring(0, 16) : fingerprint;
  }
}
