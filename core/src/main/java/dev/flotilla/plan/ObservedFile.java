package dev.flotilla.plan;

/**
 * A file as the agent found it on the host, read without following symlinks.
 *
 * @param path the device path, such as {@code /etc/motd}
 * @param exists whether anything exists at the path (a symlink counts)
 * @param sha256 {@code sha256:<hex>} of the content, or null when missing, a symlink or not a regular file
 * @param mode the permission bits as four octal digits, such as {@code 0644}, or null
 * @param owner the owning user, by name (or by numeric id when the desired owner is numeric), or null
 * @param group the owning group, in the same form as {@code owner}, or null
 * @param symlink whether the file or one of its parents is a symlink, which the agent never writes through
 */
public record ObservedFile(String path, boolean exists, String sha256, String mode, String owner, String group,
    boolean symlink) {

  /** Nothing at {@code path}. */
  public static ObservedFile missing(String path) {
    return new ObservedFile(path, false, null, null, null, null, false);
  }

  /** A symlink at {@code path} or among its parents; nothing else about it is read. */
  public static ObservedFile symlinked(String path) {
    return new ObservedFile(path, true, null, null, null, null, true);
  }
}
