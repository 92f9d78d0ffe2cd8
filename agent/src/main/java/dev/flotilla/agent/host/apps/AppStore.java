package dev.flotilla.agent.host.apps;

import dev.flotilla.digest.Digest;
import dev.flotilla.plan.ObservedApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The apps directory: {@code <apps>/<name>/<version>/} per installed version, a {@code current} symlink to the
 * running one, {@code .failed-<version>} holding why a version's health check failed, and {@code
 * .unit-failed-<hex>} why a unit file (by sha256) failed it at an unchanged version. {@code apps} is the
 * directory as the agent reaches it (under the host root); {@code devicePath} the same directory as units on the
 * device see it.
 */
public final class AppStore {
  private static final String FAILED_UNIT = ".unit-failed-";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
  /** What {@link #scratch} and {@link #switchTo} make and remove again unless a crash comes first. */
  private static final Pattern SCRATCH = Pattern.compile("\\.(download|unpack)-.+|\\.current\\.next");
  private final Path apps;
  private final String devicePath;

  public AppStore(Path apps, String devicePath) {
    this.apps = apps;
    this.devicePath = devicePath.endsWith("/") ? devicePath.substring(0, devicePath.length() - 1) : devicePath;
  }

  /** The app's {@code current} directory as units on the device see it. */
  public String deviceCurrent(String app) {
    return devicePath + "/" + app + "/current";
  }

  /** Reads what is installed, current and failed; no unit is compared. */
  public ObservedApp observe(String app) throws IOException {
    return observe(app, null);
  }

  /**
   * Reads what is installed, current and failed, and the unit file the current version ships as {@code unit}
   * (null: the app names no unit of its own).
   */
  public ObservedApp observe(String app, String unit) throws IOException {
    var dir = apps.resolve(app);
    if (!Files.isDirectory(dir)) {
      return ObservedApp.missing(app);
    }
    var installed = new ArrayList<Path>();
    var failed = new TreeMap<String, String>();
    var failedUnits = new TreeMap<String, String>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (var entry : entries.toList()) {
        var name = entry.getFileName().toString();
        if (name.startsWith(FAILED_UNIT)) {
          failedUnits.put(Digest.PREFIX + name.substring(FAILED_UNIT.length()), Files.readString(entry).strip());
        } else if (name.startsWith(".failed-")) {
          failed.put(name.substring(".failed-".length()), Files.readString(entry).strip());
        } else if (VERSION.matcher(name).matches() && !name.equals("current") && Files.isDirectory(entry)
            && !Files.isSymbolicLink(entry)) {
          installed.add(entry);
        }
      }
    }
    installed.sort(Comparator.comparing(AppStore::modified).thenComparing(Path::toString));
    var current = current(app);
    return new ObservedApp(app, current, installed.stream().map(p -> p.getFileName().toString()).toList(),
        failed, deviceCurrent(app), shippedUnit(app, current, unit), failedUnits);
  }

  /** The sha256 of the unit file {@code version} ships as {@code unit}, or null. */
  private String shippedUnit(String app, String version, String unit) throws IOException {
    if (version == null || unit == null) {
      return null;
    }
    var shipped = version(app, version).resolve(unit);
    return Files.isRegularFile(shipped, LinkOption.NOFOLLOW_LINKS)
        ? Digest.sha256(Files.readAllBytes(shipped)).toString() : null;
  }

  /** The version {@code current} points at, or null. */
  public String current(String app) throws IOException {
    var link = apps.resolve(app).resolve("current");
    return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : null;
  }

  /** A version's directory. */
  public Path version(String app, String version) {
    return apps.resolve(app).resolve(version);
  }

  /** A scratch path next to the app's versions (same file system, so a rename is atomic). */
  public Path scratch(String app, String what) throws IOException {
    var dir = Files.createDirectories(apps.resolve(app));
    return dir.resolve("." + what);
  }

  /** Points {@code current} at {@code version} atomically (a new link renamed over the old one). */
  public void switchTo(String app, String version) throws IOException {
    var dir = apps.resolve(app);
    var next = dir.resolve(".current.next");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, Path.of(version));
    Files.move(next, dir.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Records that {@code version} failed its health check, so it is not switched to again. */
  public void markFailed(String app, String version, String reason) throws IOException {
    Files.writeString(apps.resolve(app).resolve(".failed-" + version), reason + "\n", StandardCharsets.UTF_8);
  }

  /** Records that the unit file with {@code sha256} failed its health check, so it is not written again. */
  public void markUnitFailed(String app, String sha256, String reason) throws IOException {
    Files.writeString(apps.resolve(app).resolve(FAILED_UNIT + Digest.parse(sha256).hex()), reason + "\n",
        StandardCharsets.UTF_8);
  }

  /** Forgets the unit files that failed (after a healthy switch to a version, they may work again). */
  public void clearFailedUnits(String app) throws IOException {
    try (Stream<Path> entries = Files.list(apps.resolve(app))) {
      for (var entry : entries.filter(e -> e.getFileName().toString().startsWith(FAILED_UNIT)).toList()) {
        Files.delete(entry);
      }
    }
  }

  /** Deletes the oldest versions beyond {@code keep}, never the current one. */
  public void prune(String app, int keep) throws IOException {
    var observed = observe(app);
    var versions = new ArrayList<>(observed.installed());
    versions.remove(observed.current());
    int removable = versions.size() - Math.max(0, keep - (observed.current() == null ? 0 : 1));
    for (var version : versions.subList(0, Math.max(0, removable))) {
      deleteTree(version(app, version));
    }
  }

  /**
   * Deletes the app's directory: every version, the {@code current} link and what failed; nothing outside it.
   *
   * @return whether there was anything to delete
   * @throws IOException when {@code app} is not a plain name (it would reach outside the apps directory)
   */
  public boolean remove(String app) throws IOException {
    if (!NAME.matcher(app).matches()) {
      throw new IOException("remove app '" + app + "': not an app name (lowercase letters, digits and '-')");
    }
    var dir = apps.resolve(app);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    deleteTree(dir);
    return true;
  }

  /**
   * Removes what an install or switch interrupted by a crash left in each app's directory: the {@code .download-}
   * and {@code .unpack-} scratch of a version and a {@code .current.next} link; never a version, {@code current} or
   * a failure record, and nothing through a symlink.
   *
   * @return the device paths removed
   */
  public List<String> removeScratch() throws IOException {
    var removed = new ArrayList<String>();
    for (var app : apps()) {
      var dir = apps.resolve(app);
      if (Files.isSymbolicLink(dir)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(dir)) {
        for (var entry : entries.filter(e -> SCRATCH.matcher(e.getFileName().toString()).matches()).toList()) {
          deleteTree(entry);
          removed.add(devicePath + "/" + app + "/" + entry.getFileName());
        }
      }
    }
    return removed;
  }

  /** Every app with an entry in the apps directory. */
  public List<String> apps() throws IOException {
    if (!Files.isDirectory(apps)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(apps)) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Deletes {@code root} and everything under it, links not followed; nothing when it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
