package dev.flotilla.agent.host.files;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.flotilla.digest.Digest;
import dev.flotilla.io.Failures;
import dev.flotilla.plan.ObservedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The host's files under a root directory: device path {@code /etc/motd} is {@code hostRoot/etc/motd}, so tests
 * use a temp dir and a device uses {@code /}.
 *
 * <p>Path rules: {@link #write} and {@link #delete} throw {@link HostPathException}, having changed nothing, when a
 * path is not absolute and normalised (no empty, {@code .} or {@code ..} segment), is outside {@code
 * allowedPrefixes} (matched on whole segments: {@code /etc/kiosk} allows {@code /etc/kiosk/a.conf}, not {@code
 * /etc/kiosk-evil}), or passes through a symlink. The agent refuses <em>any</em> symlink among the parents below the
 * host root and the file itself, wherever it points: that needs no resolving of link targets (which could change
 * between check and write) and so also refuses every symlink pointing outside the root. Declare real paths (for
 * example {@code /run/x}, not {@code /var/run/x}).
 *
 * <p>Writes are atomic: a temp file in the target's directory is written, fsynced, given its mode, owner and group,
 * renamed over the target, and the directory is fsynced; a failure leaves neither the target changed nor a temp
 * file. Missing parent directories are created with mode 0755. Owner and group are a name, looked up in the
 * agent's own user database (the host's when the root is {@code /}), or a numeric id. Errors read {@code <action>
 * '<path>': <cause>[; <fix>]}.
 */
public final class HostFiles {
  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Pattern NUMERIC = Pattern.compile("[0-9]{1,10}");

  private final Path hostRoot;
  private final List<String> allowedPrefixes;

  /** @param allowedPrefixes absolute device paths the agent may write under; {@code /} allows everything */
  public HostFiles(Path hostRoot, List<String> allowedPrefixes) {
    this.hostRoot = hostRoot.toAbsolutePath().normalize();
    this.allowedPrefixes = allowedPrefixes.stream()
        .map(p -> p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p).toList();
  }

  /** The host root every device path resolves under, absolute and normalised. */
  public Path root() {
    return hostRoot;
  }

  /** The file at {@code path}, owner and group by name. See {@link #observe(String, String, String)}. */
  public ObservedFile observe(String path) throws IOException {
    return observe(path, null, null);
  }

  /**
   * The file at {@code path}, read without following symlinks; read-only, so the allowed paths do not apply. A
   * symlink at the path or among its parents is reported as {@link ObservedFile#symlinked}. Owner and group are
   * given as numeric ids when {@code ownerForm} or {@code groupForm} is numeric (the form the desired state uses),
   * otherwise by name.
   *
   * @throws HostPathException when the path is not absolute and normalised
   * @throws IOException when the file cannot be read
   */
  public ObservedFile observe(String path, String ownerForm, String groupForm) throws IOException {
    checkSyntax(path, "observe file");
    if (firstSymlink(path) != null) {
      return ObservedFile.symlinked(path);
    }
    var file = hostPath(path);
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, PosixFileAttributes.class, NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return ObservedFile.missing(path);
    } catch (IOException e) {
      if (Failures.reason(e).equals("not a directory")) {
        return ObservedFile.missing(path);
      }
      throw failure("observe file", path, e);
    }
    var sha256 = attributes.isRegularFile() ? digest(path, file) : null;
    var owner = account(file, attributes.owner().getName(), ownerForm, "unix:uid");
    var group = account(file, attributes.group().getName(), groupForm, "unix:gid");
    return new ObservedFile(path, true, sha256, FileMode.format(attributes.permissions()), owner, group, false);
  }

  /**
   * The host path of {@code path} once it passes every path rule.
   *
   * @param action what the caller is about to do, for the message, such as {@code write file}
   * @throws HostPathException naming the rule the path breaks
   */
  public Path resolve(String path, String action) throws HostPathException {
    checkSyntax(path, action);
    if (allowedPrefixes.stream().noneMatch(p -> p.equals("/") || path.equals(p) || path.startsWith(p + "/"))) {
      throw new HostPathException(action + " '" + path + "': outside the allowed paths ("
          + String.join(", ", allowedPrefixes) + "); add its directory to allowedPaths in the agent config");
    }
    var symlink = firstSymlink(path);
    if (symlink != null) {
      throw new HostPathException(action + " '" + path + "': '" + symlink + "' is a symlink; "
          + "the agent does not write through symlinks, declare the real path");
    }
    return hostPath(path);
  }

  /**
   * Replaces the file at {@code path} atomically with {@code content}, {@code mode} and, when not null, {@code
   * owner} and {@code group}, creating missing parent directories.
   *
   * @throws HostPathException when the path breaks a path rule; nothing was written
   * @throws IOException when writing fails; the target is unchanged and no temp file is left
   */
  public void write(String path, byte[] content, String mode, String owner, String group) throws IOException {
    var target = resolve(path, "write file");
    var permissions = permissions(path, mode);
    var directory = target.getParent();
    createDirectories(path, directory);
    var temp = step("write file", path, () -> TempFiles.create(directory, target));
    try {
      step("write file", path, () -> fill(temp, content));
      step("set mode of", path, () -> Files.setPosixFilePermissions(temp, permissions));
      chown(path, temp, owner, "owner");
      chown(path, temp, group, "group");
      step("write file", path, () -> Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE));
    } finally {
      step("remove temp file of", path, () -> Files.deleteIfExists(temp));
    }
    sync(directory);
  }

  /**
   * Deletes the file at {@code path}; nothing happens when there is none.
   *
   * @throws HostPathException when the path breaks a path rule or is a directory
   */
  public void delete(String path) throws IOException {
    var target = resolve(path, "delete file");
    if (Files.isDirectory(target, NOFOLLOW_LINKS)) {
      throw new HostPathException("delete file '" + path + "': is a directory; the agent deletes only files");
    }
    if (step("delete file", path, () -> Files.deleteIfExists(target))) {
      sync(target.getParent());
    }
  }

  /**
   * Removes the temp files an interrupted {@link #write} left in {@code directories} (device paths), and only in
   * those that pass the path rules (allowed, no symlink among them or their parents); see {@link TempFiles}.
   *
   * @return the device paths of the files removed, sorted
   * @throws IOException when a directory cannot be read or a temp file not removed
   */
  public List<String> removeTempFiles(Collection<String> directories) throws IOException {
    var removed = new TreeSet<String>();
    for (var directory : directories) {
      Path dir;
      try {
        dir = resolve(directory, "remove temp files in");
      } catch (HostPathException e) {
        continue; // not a directory the agent writes to
      }
      var files = step("remove temp files in", directory, () -> TempFiles.removeIn(dir));
      files.forEach(file -> removed.add("/" + hostRoot.relativize(file)));
    }
    return List.copyOf(removed);
  }

  private static void checkSyntax(String path, String action) throws HostPathException {
    if (path == null || !path.startsWith("/") || path.equals("/")) {
      throw new HostPathException(action + " '" + path + "': not an absolute path to a file");
    }
    for (var segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
        throw new HostPathException(action + " '" + path + "': path has an empty, '.' or '..' segment; "
            + "write the normalised absolute path");
      }
    }
  }

  private Path hostPath(String path) {
    return hostRoot.resolve(path.substring(1));
  }

  /** The device path of the first symlink among the path's components, or null. */
  private String firstSymlink(String path) {
    var current = hostRoot;
    var device = new StringBuilder();
    for (var segment : path.substring(1).split("/")) {
      current = current.resolve(segment);
      device.append('/').append(segment);
      if (Files.isSymbolicLink(current)) {
        return device.toString();
      }
      if (!Files.exists(current, NOFOLLOW_LINKS)) {
        return null;
      }
    }
    return null;
  }

  /** Creates the missing directories up to {@code directory}; names the ancestor in the way when one is a file. */
  private void createDirectories(String path, Path directory) throws IOException {
    var missing = new ArrayDeque<Path>();
    var existing = directory;
    for (; !Files.exists(existing, NOFOLLOW_LINKS); existing = existing.getParent()) {
      missing.push(existing);
    }
    if (!Files.isDirectory(existing, NOFOLLOW_LINKS)) {
      throw new IOException("write file '" + path + "': '/" + hostRoot.relativize(existing) + "' is not a directory; "
          + "remove or rename it on the device, or change the path in the fleet");
    }
    while (!missing.isEmpty()) {
      var dir = missing.pop();
      step("create directory", "/" + hostRoot.relativize(dir), () -> {
        Files.createDirectory(dir);
        return Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
      });
      sync(dir.getParent());
    }
  }

  private static Path fill(Path temp, byte[] content) throws IOException {
    try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      var buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    return temp;
  }

  private void chown(String path, Path temp, String account, String what) throws IOException {
    if (account == null) {
      return;
    }
    var lookup = hostRoot.getFileSystem().getUserPrincipalLookupService();
    var view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, NOFOLLOW_LINKS);
    try {
      if (NUMERIC.matcher(account).matches()) {
        Files.setAttribute(temp, what.equals("owner") ? "unix:uid" : "unix:gid", Integer.parseInt(account),
            NOFOLLOW_LINKS);
      } else if (what.equals("owner")) {
        view.setOwner(lookup.lookupPrincipalByName(account));
      } else {
        view.setGroup(lookup.lookupPrincipalByGroupName(account));
      }
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("set " + what + " of '" + path + "': no such " + (what.equals("owner") ? "user" : "group")
          + " '" + account + "'", e);
    } catch (NumberFormatException e) {
      throw new IOException("set " + what + " of '" + path + "': '" + account + "' is not a valid id", e);
    } catch (IOException e) {
      if (Failures.notPermitted(e)) {
        throw new IOException("set " + what + " of '" + path + "': operation not permitted; run the agent as root", e);
      }
      throw failure("set " + what + " of", path, e);
    }
  }

  private static String account(Path file, String name, String form, String attribute) throws IOException {
    if (form != null && NUMERIC.matcher(form).matches()) {
      return String.valueOf(Files.getAttribute(file, attribute, NOFOLLOW_LINKS));
    }
    return name;
  }

  private static String digest(String path, Path file) throws IOException {
    var digest = Digest.newSha256();
    try (var channel = FileChannel.open(file, StandardOpenOption.READ, NOFOLLOW_LINKS)) {
      var buffer = ByteBuffer.allocate(64 * 1024);
      while (channel.read(buffer) >= 0) {
        digest.update(buffer.flip());
        buffer.clear();
      }
    } catch (IOException e) {
      throw failure("read file", path, e);
    }
    return Digest.of(digest.digest()).toString();
  }

  private static Set<PosixFilePermission> permissions(String path, String mode) throws IOException {
    return FileMode.parse(mode).orElseThrow(() -> new IOException(
        "write file '" + path + "': invalid mode '" + mode + "'; use octal digits such as '0644'"));
  }

  /** fsyncs a directory, so a rename or creation in it survives a power cut. */
  private void sync(Path directory) throws IOException {
    step("sync directory", "/" + hostRoot.relativize(directory), () -> {
      try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      }
      return directory;
    });
  }

  private static <T> T step(String action, String path, IoStep<T> step) throws IOException {
    try {
      return step.run();
    } catch (IOException e) {
      throw failure(action, path, e);
    }
  }

  private static IOException failure(String action, String path, IOException e) {
    var cause = Failures.reason(e);
    var fix = Failures.notPermitted(e) ? "; run the agent as root" : "";
    return new IOException(action + " '" + path + "': " + cause + fix, e);
  }

  @FunctionalInterface
  private interface IoStep<T> {
    T run() throws IOException;
  }
}
