package dev.flotilla.agent.host.apps;

import dev.flotilla.agent.plan.ObservedApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * running one, and {@code .failed-<version>} holding why a version's health check failed. {@code apps} is the
 * directory as the agent reaches it (under the host root); {@code devicePath} the same directory as units on the
 * device see it.
 */
public final class AppStore {
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
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

  /** Reads what is installed, current and failed. */
  public ObservedApp observe(String app) throws IOException {
    var dir = apps.resolve(app);
    if (!Files.isDirectory(dir)) {
      return ObservedApp.missing(app);
    }
    var installed = new ArrayList<Path>();
    var failed = new TreeMap<String, String>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (var entry : entries.toList()) {
        var name = entry.getFileName().toString();
        if (name.startsWith(".failed-")) {
          failed.put(name.substring(".failed-".length()), Files.readString(entry).strip());
        } else if (VERSION.matcher(name).matches() && !name.equals("current") && Files.isDirectory(entry)
            && !Files.isSymbolicLink(entry)) {
          installed.add(entry);
        }
      }
    }
    installed.sort(Comparator.comparing(AppStore::modified).thenComparing(Path::toString));
    return new ObservedApp(app, current(app), installed.stream().map(p -> p.getFileName().toString()).toList(),
        failed);
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

  /** Every app with an entry in the apps directory. */
  public List<String> apps() throws IOException {
    if (!Files.isDirectory(apps)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(apps)) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void deleteTree(Path root) throws IOException {
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
