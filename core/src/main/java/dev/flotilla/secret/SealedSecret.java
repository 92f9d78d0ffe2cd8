package dev.flotilla.secret;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One secret value sealed to one device key: what the fleet repo and the bundle carry. Only the holder of the
 * device's private key can open it, and only as this name, for this device, under this key and serial, which the
 * key derivation and the cipher's associated data both bind ({@link #context}).
 *
 * @param name the secret's name, such as {@code wifi-psk}
 * @param device the device it is sealed for
 * @param keyFingerprint lowercase hex sha256 of the device's DER public key at sealing time
 * @param serial grows with every new value sealed under the name; an agent refuses one lower than it wrote last
 * @param ciphertext the KEM encapsulation (65 bytes) followed by the AES-256-GCM ciphertext and tag; copied
 */
public record SealedSecret(String name, String device, String keyFingerprint, long serial, byte[] ciphertext) {
  /** The scheme written beside every sealed value; a new scheme gets a new name. */
  public static final String SCHEME = "dhkem-p256-hkdf-sha256-aes-256-gcm-v1";

  public SealedSecret {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(keyFingerprint, "keyFingerprint");
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The ciphertext in base64, as YAML and JSON carry it. */
  public String ciphertextBase64() {
    return Base64.getEncoder().encodeToString(ciphertext);
  }

  /**
   * The bytes bound into the key derivation ({@code info}) and the cipher's associated data: the scheme, name,
   * device, key fingerprint and serial, each length-prefixed so no two tuples encode alike.
   */
  byte[] context() {
    var out = new ByteArrayOutputStream();
    for (var part : new String[] {SCHEME, name, device, keyFingerprint, Long.toString(serial)}) {
      var bytes = part.getBytes(StandardCharsets.UTF_8);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedSecret s && name.equals(s.name) && device.equals(s.device)
        && keyFingerprint.equals(s.keyFingerprint) && serial == s.serial && Arrays.equals(ciphertext, s.ciphertext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, device, keyFingerprint, serial, Arrays.hashCode(ciphertext));
  }

  /** Names the secret, never its bytes. */
  @Override
  public String toString() {
    return "<sealed " + name + " for " + device + ", serial " + serial + ">";
  }
}
