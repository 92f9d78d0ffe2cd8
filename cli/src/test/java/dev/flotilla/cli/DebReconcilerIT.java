package dev.flotilla.cli;

import static dev.flotilla.cli.DebHost.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flotilla package (CLI and reconciler) in a booted Debian 12 without Java: install makes the system user
 * {@code flotilla}, {@code flotilla serve} runs as it under the package's unit and answers {@code /healthz} on the
 * host's loopback; upgrade and downgrade keep its config and work directory; purge removes the work directory.
 */
class DebReconcilerIT {
  @TempDir
  Path work;
  DebHost host;

  @AfterEach
  void stop() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void runsAsItsOwnUserAndKeepsConfigAndStateUntilPurge() throws Exception {
    var debs = BuiltDebs.get();
    host = new DebHost(work, "debsrv").withPackage("flotilla");
    var root = host.root();
    assertThat(inside("dpkg -i /var/cache/flotilla-debs/flotilla-1.deb >/dev/null 2>&1 && echo installed")).isEqualTo("installed");
    assertThat(inside("getent passwd flotilla")).matches("flotilla:x:\\d+:\\d+:Flotilla reconciler:"
        + "/var/lib/flotilla/reconciler:/usr/sbin/nologin");
    assertThat(inside("flotilla --version")).isEqualTo(debs.stamp);

    Files.createDirectories(root.resolve("etc/flotilla/keys"));
    for (var key : new String[] {"bundle-signer.pem", "bundle-signer.pub.pem"}) {
      Files.copy(work.resolve("keys").resolve(key), root.resolve("etc/flotilla/keys").resolve(key));
    }
    copyTree(host.rig.origin, root.resolve("var/lib/flotilla/reconciler/origin.git"));
    int port = freePort();
    var config = String.join("\n", "repo: /var/lib/flotilla/reconciler/origin.git", "branch: main",
        "signingKey: /etc/flotilla/keys/bundle-signer.pem", "workDir: /var/lib/flotilla/reconciler",
        "listen: 127.0.0.1:" + port, "metricsListen: 127.0.0.1:" + freePort(), "");
    Files.writeString(root.resolve("etc/flotilla/reconciler.yaml"), config);
    inside("chown -R flotilla:flotilla /var/lib/flotilla/reconciler; chgrp flotilla /etc/flotilla/keys/*;"
        + " chmod 0640 /etc/flotilla/keys/*");
    assertThat(inside("systemctl enable --now flotilla 2>&1; systemctl is-active flotilla")).endsWith("active");
    var certificate = root.resolve("var/lib/flotilla/reconciler/tls/server.pem");
    try {
      eventually(() -> healthy(certificate, port));
    } catch (AssertionError e) {
      throw new AssertionError("flotilla.service not healthy: " + inside("systemctl status flotilla --no-pager;"
          + " journalctl -u flotilla --no-pager | tail -40"), e);
    }
    assertThat(inside("stat -c %U /proc/$(systemctl show -p MainPID --value flotilla)")).isEqualTo("flotilla");

    for (int revision : new int[] {2, 1}) {
      var pid = inside("systemctl show -p MainPID --value flotilla");
      assertThat(inside("dpkg -i /var/cache/flotilla-debs/flotilla-" + revision + ".deb >/dev/null 2>&1 && echo ok"))
          .isEqualTo("ok");
      assertThat(inside("dpkg-query -W -f '${Version}' flotilla")).isEqualTo(debs.version("flotilla", revision));
      assertThat(Files.readString(root.resolve("etc/flotilla/reconciler.yaml"))).as("config kept").isEqualTo(config);
      eventually(() -> !inside("systemctl show -p MainPID --value flotilla").equals(pid) && healthy(certificate, port));
    }

    assertThat(inside("dpkg -P flotilla >/dev/null 2>&1; dpkg-query -W -f '${Status}' flotilla 2>&1"))
        .contains("no packages found");
    assertThat(root.resolve("var/lib/flotilla/reconciler")).as("purge removes the work directory").doesNotExist();
    assertThat(root.resolve("etc/flotilla/reconciler.yaml")).doesNotExist();
    assertThat(inside("getent passwd flotilla")).as("the system user stays, as Debian leaves them").isNotEmpty();
  }

  private boolean healthy(Path certificate, int port) {
    try {
      return Files.exists(certificate) && PinnedHttp.get(certificate, port, "/healthz") != null;
    } catch (Exception e) {
      return false;
    }
  }

  private String inside(String command) throws Exception {
    return host.inside(command);
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (var source : walk.toList()) {
        var target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
