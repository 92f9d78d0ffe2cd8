package dev.flotilla.plan;

import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a whole file atomically, with its mode and, when given, its owner and group.
 *
 * <p>The record component is named {@code action}, not {@code kind}, because {@link Change#kind()} already names
 * the resource kind ({@code file}).
 *
 * @param path the device path
 * @param content the bytes to write; copied in and out
 * @param sha256 the digest the content must have ({@code sha256:<hex>}); the declared one when the file declares
 *     it, which the applier checks before writing anything
 * @param mode four octal digits, such as {@code 0644}
 * @param owner user name or numeric id, or null to leave the owner as it is
 * @param group group name or numeric id, or null to leave the group as it is
 * @param action CREATE when nothing is at the path, otherwise UPDATE
 * @param reason why: {@code not present}, or what differs, such as {@code content, mode 0600 -> 0644}
 */
public record WriteFile(String path, byte[] content, String sha256, String mode, String owner, String group,
    Action action, String reason) implements Change {

  /** Whether the file is new or replaces one. */
  public enum Action { CREATE, UPDATE }

  public WriteFile {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** Whether {@code observed} already is this file: same content, mode and the owner and group asked for. */
  public boolean satisfiedBy(ObservedFile observed) {
    return observed.exists() && !observed.symlink()
        && sha256.equals(observed.sha256()) && mode.equals(observed.mode())
        && (owner == null || owner.equals(observed.owner()))
        && (group == null || group.equals(observed.group()));
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
    return action == Action.CREATE ? "+ file " + path : "~ file " + path + " (" + reason + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WriteFile w && path.equals(w.path) && Arrays.equals(content, w.content)
        && sha256.equals(w.sha256) && mode.equals(w.mode) && Objects.equals(owner, w.owner)
        && Objects.equals(group, w.group) && action == w.action && Objects.equals(reason, w.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, Arrays.hashCode(content), sha256, mode, owner, group, action, reason);
  }

  @Override
  public String toString() {
    return line();
  }
}
