package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler's systemd unit, checked by systemd itself ({@code systemd-analyze verify}). */
class ReconcilerUnitIT {
  static final Path UNIT = Path.of("..", "deploy", "flotilla-reconciler.service");

  @TempDir
  Path root;

  @Test
  void systemdAcceptsTheUnitWithoutAWarning() throws Exception {
    var launcher = Files.createDirectories(root.resolve("usr/bin")).resolve("flotilla");
    Files.writeString(launcher, "#!/bin/sh\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    copyTree(Path.of("/usr/lib/systemd/system"), root.resolve("usr/lib/systemd/system"));
    var units = Files.createDirectories(root.resolve("etc/systemd/system"));
    Files.copy(UNIT, units.resolve("flotilla-reconciler.service"));

    var process = new ProcessBuilder("systemd-analyze", "verify", "--root=" + root, "flotilla-reconciler.service")
        .redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat("exit " + process.waitFor() + ": " + output).isEqualTo("exit 0: ");
  }

  @Test
  void theUnitRunsUnprivilegedOnAReadOnlySystemWithTheDefaultConfig() throws IOException {
    var unit = Files.readString(UNIT);

    assertThat(unit).contains("\nUser=flotilla\n", "\nCapabilityBoundingSet=\n", "\nNoNewPrivileges=yes\n",
        "\nProtectSystem=strict\n", "\nStateDirectory=flotilla/reconciler\n",
        "serve --config /etc/flotilla/reconciler.yaml\n");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (var source : walk.toList()) {
        var target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }
}
