package dev.flotilla.agent.host.files;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.flotilla.plan.Change;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.DeleteUnitFile;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.plan.WriteUnitFile;
import dev.flotilla.io.Failures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether every file write and deletion of a plan can be made on the host, checked before any of them is, so a path
 * the host cannot take refuses the whole plan instead of leaving it half applied.
 *
 * <p>A write is blocked when an existing ancestor of its path is not a directory (a regular file, say), when the
 * plan writes one of its ancestors as a file, when a directory stands at the path itself, or when the directory it
 * is created in (its nearest existing ancestor) is not writable: on a read-only filesystem, or without the right
 * (an agent running as root has it everywhere else). A deletion of an existing file is blocked when a directory is
 * at its path or its directory is not writable. Symlinks are refused earlier, by {@link HostFiles#resolve}; one met
 * here is reported like any other non-directory. Read-only: a few {@code lstat} and {@code access} calls per path.
 * Another process changing the host between the check and the write is still possible; the write then fails on
 * its own.
 */
public final class PathObstacles {
  private PathObstacles() {}

  /** The change that cannot be made and why: {@code <action>: <cause>; nothing was written; <fix>}. */
  public record Obstacle(int index, String message) {}

  /** The first change among {@code changes} whose path the host cannot take, or empty when all can be made. */
  public static Optional<Obstacle> first(Path hostRoot, List<Change> changes) {
    var written = new HashSet<String>();
    for (var change : changes) {
      var path = writtenPath(change);
      if (path != null) {
        written.add(path);
      }
    }
    for (int i = 0; i < changes.size(); i++) {
      var change = changes.get(i);
      var write = writtenPath(change);
      var delete = deletedPath(change);
      var cause = write != null ? writeObstacle(hostRoot, write, written)
          : delete != null ? deleteObstacle(hostRoot, delete) : null;
      if (cause != null) {
        return Optional.of(new Obstacle(i, cause));
      }
    }
    return Optional.empty();
  }

  private static String writtenPath(Change change) {
    return switch (change) {
      case WriteFile w -> w.path();
      case WriteSealedFile w -> w.path();
      case WriteUnitFile w -> w.path();
      case PersistSysctl p when !p.deletes() -> p.path();
      default -> null;
    };
  }

  private static String deletedPath(Change change) {
    return switch (change) {
      case DeleteFile d -> d.path();
      case DeleteUnitFile d -> d.path();
      case PersistSysctl p when p.deletes() -> p.path();
      default -> null;
    };
  }

  /** Why {@code path} cannot be written, or null. Walks its ancestors from the host root down. */
  private static String writeObstacle(Path hostRoot, String path, Set<String> written) {
    var directory = "/";
    var segments = path.substring(1).split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      var ancestor = (i == 0 ? "" : directory) + "/" + segments[i];
      if (written.contains(ancestor)) {
        return "write files: '" + ancestor + "' is written as a file too, so '" + path + "' cannot be created; "
            + "nothing was written; change one of the two paths in the fleet";
      }
      var type = type(hostRoot, ancestor);
      if (type == null) {
        return writable(hostRoot, directory, path, "created");
      }
      if (!type.equals("directory")) {
        return "write files: '" + ancestor + "' is " + type + ", so '" + path + "' cannot be created; "
            + "nothing was written; remove or rename '" + ancestor + "' on the device, or change the path in the fleet";
      }
      directory = ancestor;
    }
    if ("directory".equals(type(hostRoot, path))) {
      return "write files: '" + path + "' is a directory, so it cannot be replaced by a file; nothing was written; "
          + "remove or rename '" + path + "' on the device, or change the path in the fleet";
    }
    return writable(hostRoot, directory, path, "written");
  }

  /** Why an existing file at {@code path} cannot be deleted, or null (also when there is none: nothing to do). */
  private static String deleteObstacle(Path hostRoot, String path) {
    var type = type(hostRoot, path);
    if (type == null) {
      return null;
    }
    if (type.equals("directory")) {
      return "delete files: '" + path + "' is a directory; nothing was written; the agent deletes only files, "
          + "remove it on the device";
    }
    var slash = path.lastIndexOf('/');
    var parent = slash == 0 ? "/" : path.substring(0, slash);
    var cause = unwritable(hostRoot, parent);
    return cause == null ? null : "delete files: '" + parent + "' " + cause + ", so '" + path
        + "' cannot be deleted; nothing was written; " + fix(cause, parent);
  }

  private static String writable(Path hostRoot, String directory, String path, String verb) {
    var cause = unwritable(hostRoot, directory);
    return cause == null ? null : "write files: '" + directory + "' " + cause + ", so '" + path + "' cannot be "
        + verb + "; nothing was written; " + fix(cause, directory);
  }

  /** Why the agent cannot create entries in {@code directory}, or null when it can. */
  private static String unwritable(Path hostRoot, String directory) {
    var host = host(hostRoot, directory);
    if (Files.isWritable(host)) {
      return null;
    }
    try {
      if (Files.getFileStore(host).isReadOnly()) {
        return "is on a read-only filesystem";
      }
    } catch (IOException e) {
      return "cannot be checked (" + Failures.reason(e) + ")";
    }
    return "is not writable by the agent";
  }

  private static String fix(String cause, String directory) {
    return cause.contains("read-only") ? "remount it read-write on the device, or change the path in the fleet"
        : "run the agent as root, or make '" + directory + "' writable on the device";
  }

  /** What is at {@code path} without following a symlink: {@code directory}, {@code a regular file} and so on. */
  private static String type(Path hostRoot, String path) {
    try {
      var attributes = Files.readAttributes(host(hostRoot, path), BasicFileAttributes.class, NOFOLLOW_LINKS);
      if (attributes.isDirectory()) {
        return "directory";
      }
      if (attributes.isRegularFile()) {
        return "a regular file";
      }
      return attributes.isSymbolicLink() ? "a symlink" : "not a directory";
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      var reason = Failures.reason(e);
      return reason.equals("not a directory") ? null : "not readable (" + reason + ")";
    }
  }

  private static Path host(Path hostRoot, String path) {
    return path.equals("/") ? hostRoot : hostRoot.resolve(path.substring(1));
  }
}
