package dev.flotilla.cli;

import dev.flotilla.build.BuildInfo;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The packages {@code packaging/build-debs.sh} makes from this build's jars (gzip, for speed), built once per
 * test JVM and signed with a key of the test's own; and the same build packaged again with Debian revision 2, for
 * upgrade and downgrade tests (only the control file's version differs, as {@code --revision 2} makes it).
 */
final class BuiltDebs {
  private static BuiltDebs built;
  final Path dir;
  final Path publicKey;
  final String stamp;

  private BuiltDebs(Path dir, Path publicKey, String stamp) {
    this.dir = dir;
    this.publicKey = publicKey;
    this.stamp = stamp;
  }

  static synchronized BuiltDebs get() throws IOException, InterruptedException {
    if (built == null) {
      var work = Files.createTempDirectory("flotilla-debs-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work))); // ~350 MB of packages and trees
      var pair = Keys.generate();
      Keys.writePrivate(work.resolve("release.pem"), pair.getPrivate());
      Keys.writePublic(work.resolve("release.pub.pem"), pair.getPublic());
      var dir = work.resolve("debs");
      run(List.of("bash", Run.HOME.resolve("packaging/build-debs.sh").toString(), "--skip-build", "--compress", "gzip",
          "--key", work.resolve("release.pem").toString(), "--out", dir.toString()));
      // the jars the script packs are this reactor's: the test's own build stamp is theirs
      built = new BuiltDebs(dir, work.resolve("release.pub.pem"), "flotilla " + BuildInfo.current().describe());
      for (var name : List.of("flotilla-agent", "flotilla")) {
        built.repackage(name);
      }
    }
    return built;
  }

  /** The package file of {@code name} ({@code flotilla-agent} or {@code flotilla}) with Debian revision 1 or 2. */
  Path deb(String name, int revision) throws IOException {
    var pattern = name + "_*-" + revision + "_amd64.deb";
    try (var files = Files.newDirectoryStream(revision == 1 ? dir : dir.resolveSibling("revision-2"), pattern)) {
      return files.iterator().next();
    }
  }

  /** The Debian version of revision 1 or 2, such as {@code 0.1.0~SNAPSHOT+g3f8495b2c1aa-1}. */
  String version(String name, int revision) throws IOException {
    var file = deb(name, revision).getFileName().toString();
    return file.substring(name.length() + 1, file.length() - "_amd64.deb".length());
  }

  private void repackage(String name) throws IOException, InterruptedException {
    var tree = dir.resolveSibling("tree-" + name);
    run(List.of("dpkg-deb", "-R", deb(name, 1).toString(), tree.toString()));
    var control = tree.resolve("DEBIAN/control");
    var v1 = version(name, 1);
    var v2 = v1.substring(0, v1.length() - 1) + "2";
    Files.writeString(control, Files.readString(control).replace("Version: " + v1 + "\n", "Version: " + v2 + "\n"));
    var out = Files.createDirectories(dir.resolveSibling("revision-2"));
    run(List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "-b", tree.toString(),
        out.resolve(name + "_" + v2 + "_amd64.deb").toString()));
  }

  private static void deleteTree(Path dir) {
    try {
      dev.flotilla.agent.host.apps.AppStore.deleteTree(dir);
    } catch (IOException e) {
      System.err.println("remove '" + dir + "': " + e.getMessage());
    }
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
    }
    return output;
  }
}
