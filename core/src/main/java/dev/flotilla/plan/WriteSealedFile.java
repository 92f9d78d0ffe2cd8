package dev.flotilla.plan;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.SealedValue;
import java.nio.charset.StandardCharsets;

/**
 * Writes a file whose content is a secret sealed to this device: the applier opens it with the device key only
 * when it writes, so a plan, its lines and its reports hold the secret's name, never its value or a digest of it.
 *
 * @param path the device path
 * @param secret the secret's name
 * @param sealed the value sealed to this device (ciphertext, key fingerprint, serial)
 * @param mode four octal digits; {@code 0600} unless the file declares one
 * @param owner user name or numeric id, or null to leave the owner as it is
 * @param group group name or numeric id, or null to leave the group as it is
 * @param action CREATE when nothing is at the path, otherwise UPDATE
 * @param reason why, such as {@code <sealed wifi-psk, changed>, mode 0644 -> 0600}
 */
public record WriteSealedFile(String path, String secret, SealedValue sealed, String mode, String owner, String group,
    WriteFile.Action action, String reason) implements Change {
  /** The mode of a sealed file that declares none: only its owner reads it. */
  public static final String DEFAULT_MODE = "0600";

  /**
   * What stands for the digest of a sealed file's content where nobody can open it (a plan rendered from the fleet
   * repo, or an agent that has not written this ciphertext yet): a digest of the ciphertext, so a new seal is a
   * change and the same one is not. Never equal to a real file's digest in practice.
   */
  public static String standIn(SealedValue sealed) {
    return Digest.sha256(sealed.getCiphertext().getBytes(StandardCharsets.US_ASCII)).toString();
  }

  /** How a plan says the secret's content differs, without a byte of it. */
  public static String changed(String secret) {
    return "<sealed " + secret + ", changed>";
  }

  @Override
  public String kind() {
    return "file";
  }

  @Override
  public String name() {
    return path;
  }

  @Override
  public String line() {
    return action == WriteFile.Action.CREATE ? "+ file " + path + " <sealed " + secret + ">"
        : "~ file " + path + " (" + reason + ")";
  }

  @Override
  public String toString() {
    return line();
  }
}
