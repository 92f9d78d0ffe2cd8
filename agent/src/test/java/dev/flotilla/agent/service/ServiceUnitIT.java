package dev.flotilla.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped systemd unit, checked by systemd itself ({@code systemd-analyze verify}, Debian package systemd). */
class ServiceUnitIT {
  static final Path PACKAGING = Path.of("..", "packaging");
  static final Pattern FLAGS = Pattern.compile("FLOTILLA_AGENT_JVM_FLAGS(?::-|=)([^}\"]*)");

  @TempDir
  Path root;

  @Test
  void systemdAcceptsTheUnitWithoutAWarning() throws Exception {
    // verify checks ExecStart exists and the units it names, so give it a root with both
    var launcher = Files.createDirectories(root.resolve("opt/flotilla-agent/bin")).resolve("flotilla-agent");
    Files.writeString(launcher, "#!/bin/sh\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    copyTree(Path.of("/usr/lib/systemd/system"), root.resolve("usr/lib/systemd/system"));
    var units = Files.createDirectories(root.resolve("etc/systemd/system"));
    Files.copy(PACKAGING.resolve("flotilla-agent.service"), units.resolve("flotilla-agent.service"));

    var process = new ProcessBuilder("systemd-analyze", "verify", "--root=" + root, "flotilla-agent.service")
        .redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat("exit " + process.waitFor() + ": " + output).isEqualTo("exit 0: ");
  }

  @Test
  void theUnitIsANotifyServiceWithAWatchdogAndNoTunablesProtection() throws IOException {
    var unit = Files.readString(PACKAGING.resolve("flotilla-agent.service"));

    assertThat(unit).contains("\nType=notify\n", "\nWatchdogSec=", "\nProtectSystem=strict\n",
        "\nProtectKernelTunables=no\n", "\nNoNewPrivileges=yes\n",
        "\nCapabilityBoundingSet=CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_NET_ADMIN CAP_SYS_ADMIN\n");
  }

  @Test
  void theUnitAndBothLaunchersUseTheSameJvmFlags() throws IOException {
    var fromSource = flags(Files.readString(Path.of("..", "flotilla")));
    var installed = flags(Files.readString(PACKAGING.resolve("bin/flotilla-agent")));
    var unit = flags(Files.readString(PACKAGING.resolve("flotilla-agent.service")));

    assertThat(fromSource).contains("-Xmx").isEqualTo(installed);
    assertThat(unit).startsWith(fromSource);
  }

  private static String flags(String text) {
    var matcher = FLAGS.matcher(text);
    assertThat(matcher.find()).as("FLOTILLA_AGENT_JVM_FLAGS in the file").isTrue();
    return matcher.group(1).strip();
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
