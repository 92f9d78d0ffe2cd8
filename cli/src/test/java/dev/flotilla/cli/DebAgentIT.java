package dev.flotilla.cli;

import static dev.flotilla.cli.DebHost.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flotilla-agent package in a booted Debian 12 (systemd-nspawn, no Java installed): installed with dpkg, started
 * with the operator's config, it claims its place from a reconciler on the host's loopback and applies its first
 * bundle; an upgrade and a downgrade keep its config and state and restart it; remove keeps them; purge removes them.
 */
class DebAgentIT {
  static final String HELLO = "etc/flotilla-test/hello";
  @TempDir
  Path work;
  DebHost host;
  ClaimRig rig;

  @BeforeEach
  void start() throws Exception {
    host = new DebHost(work, "deb").withPackage("flotilla-agent");
    rig = host.rig;
    var policies = rig.ops.resolve("tenants/acme-retail/policies");
    Files.delete(policies.resolve("base-hardening.yaml")); // kernel.* keys: /proc/sys is read-only in a container
    Files.writeString(policies.resolve("packaged.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Policy
        metadata:
          name: packaged
          tenant: acme-retail
        spec:
          selector:
            matchLabels:
              role: packaged
          priority: 30
          state:
            files:
              - path: /etc/flotilla-test/hello
                content: "applied by the packaged agent\\n"
                mode: "0644"
        """);
    rig.opsGit.add().addFilepattern(".").call();
    rig.opsGit.add().addFilepattern(".").setUpdate(true).call();
    rig.opsGit.commit().setMessage("Packaged devices get a file").setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com").call();
    rig.opsGit.push().call();
    rig.startReconciler();
    var etc = Files.createDirectories(host.root().resolve("etc/flotilla"));
    Files.copy(rig.server.serverCertificate(), etc.resolve("server.pem"));
    Files.writeString(etc.resolve("claim-token"), rig.createToken("--labels", "role=packaged", "--auto-approve") + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void installsClaimsAppliesUpgradesDowngradesAndPurgesKeepingConfigAndStateUntilPurge() throws Exception {
    var debs = BuiltDebs.get();
    assertThat(inside("touch /proc/sys/kernel/kptr_restrict 2>&1; echo 1 > /proc/sys/net/ipv4/ip_forward 2>&1"))
        .as("the host's kernel parameters are out of reach").contains("Read-only file system");
    var started = System.nanoTime();
    assertThat(inside("dpkg -i /var/cache/flotilla-debs/flotilla-agent-1.deb >/dev/null 2>&1 && echo installed")).isEqualTo("installed");
    assertThat(inside("systemctl is-enabled flotilla-agent")).as("not enabled before it is configured")
        .isEqualTo("disabled");
    var config = """
        server: https://127.0.0.1:%d
        serverCa: /etc/flotilla/server.pem
        claimTokenFile: /etc/flotilla/claim-token
        stateDir: /var/lib/flotilla
        hostRoot: /
        procRoot: /proc
        allowedPaths: [/etc/flotilla-test]
        pollInterval: 2s
        metrics:
          enabled: false
        """.formatted(rig.port);
    Files.writeString(host.root().resolve("etc/flotilla/agent.yaml"), config);
    assertThat(inside("systemctl enable --now flotilla-agent 2>&1 && systemctl is-active flotilla-agent"))
        .endsWith("active");
    eventually(() -> Files.exists(host.root().resolve(HELLO)));
    System.out.println("dpkg -i to first applied bundle: " + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertThat(Files.readString(host.root().resolve(HELLO))).isEqualTo("applied by the packaged agent\n");
    // the unit's set (NspawnServiceIT: 20100f) less CAP_NET_ADMIN, which nspawn withholds without a private network
    assertThat(inside("grep CapBnd /proc/$(systemctl show -p MainPID --value flotilla-agent)/status"))
        .isEqualTo("CapBnd:\t000000000020000f");
    assertThat(inside("/usr/bin/flotilla-agent --version")).contains(debs.stamp.replace("flotilla ", ""));

    for (int revision : new int[] {2, 1}) {
      var pid = inside("systemctl show -p MainPID --value flotilla-agent");
      assertThat(inside("dpkg -i /var/cache/flotilla-debs/flotilla-agent-" + revision + ".deb >/dev/null 2>&1 && echo ok"))
          .isEqualTo("ok");
      assertThat(inside("dpkg-query -W -f '${Version}' flotilla-agent")).isEqualTo(debs.version("flotilla-agent",
          revision));
      assertThat(Files.readString(host.root().resolve("etc/flotilla/agent.yaml"))).as("config kept")
          .isEqualTo(config);
      assertThat(host.root().resolve("var/lib/flotilla/claimed.yaml")).as("claim kept").exists();
      eventually(() -> inside("systemctl is-active flotilla-agent").equals("active"));
      assertThat(inside("systemctl show -p MainPID --value flotilla-agent")).as("restarted").isNotEqualTo(pid);
      Files.delete(host.root().resolve(HELLO));
      eventually(() -> Files.exists(host.root().resolve(HELLO)));
    }

    assertThat(inside("dpkg -r flotilla-agent >/dev/null 2>&1; systemctl is-active flotilla-agent")).isEqualTo("inactive");
    assertThat(host.root().resolve("var/lib/flotilla/claimed.yaml")).as("remove keeps state").exists();
    assertThat(host.root().resolve("etc/flotilla/agent.yaml")).as("remove keeps config").exists();
    assertThat(inside("dpkg -P flotilla-agent >/dev/null 2>&1; dpkg-query -W -f '${Status}' flotilla-agent 2>&1"))
        .contains("no packages found");
    assertThat(host.root().resolve("var/lib/flotilla")).as("purge removes state").doesNotExist();
    assertThat(host.root().resolve("etc/flotilla/agent.yaml")).as("purge removes config").doesNotExist();
    assertThat(host.root().resolve("usr/lib/flotilla-agent")).doesNotExist();
  }

  private String inside(String command) throws Exception {
    return host.inside(command);
  }
}
