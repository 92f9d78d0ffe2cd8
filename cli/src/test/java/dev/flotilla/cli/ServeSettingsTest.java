package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.GitAccess;
import dev.flotilla.reconcile.ReconcilerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flotilla serve} reads every key of its config file, a flag overrides the key of the same name, and the
 * default file is read only when it exists. The example shipped in {@code deploy/} is valid.
 */
class ServeSettingsTest {
  @TempDir
  Path dir;

  @Test
  void readsEveryKeyOfTheFile() throws Exception {
    var token = Files.writeString(dir.resolve("operator-token"), "t0k3n\n");
    var config = Files.writeString(dir.resolve("reconciler.yaml"), """
        repo: ssh://git@git.example/fleet.git
        branch: production
        workDir: /var/lib/flotilla/r1
        signingKey: /etc/flotilla/keys/bundle-signer.pem
        listen: 0.0.0.0:9443
        tlsCertificate: /etc/flotilla/tls/fullchain.pem
        tlsKey: /etc/flotilla/tls/privkey.pem
        tlsNames: [flotilla.example]
        interval: 1m
        bundleTTL: 3d
        operatorTokenFile: %s
        artifacts: /srv/artifacts
        metricsListen: 127.0.0.1:9999
        trustedProxies: [10.0.0.1]
        logFormat: json
        git:
          sshKey: /etc/flotilla/git/deploy_key
          knownHosts: /etc/flotilla/git/known_hosts
          tokenFile: /etc/flotilla/git/token
          username: bot
        history: { batch: 10s, retentionDays: 90 }
        """.formatted(token));

    var settings = settings("--config", config.toString());

    assertThat(settings).isEqualTo(new ReconcilerConfig("ssh://git@git.example/fleet.git", "production",
        Path.of("/var/lib/flotilla/r1"), Path.of("/etc/flotilla/keys/bundle-signer.pem"), "0.0.0.0", 9443,
        List.of("localhost", "127.0.0.1", "flotilla.example"), Path.of("/etc/flotilla/tls/fullchain.pem"),
        Path.of("/etc/flotilla/tls/privkey.pem"), Duration.ofMinutes(1), Duration.ofDays(3), "t0k3n",
        Path.of("/srv/artifacts"), InetSocketAddress.createUnresolved("127.0.0.1", 9999), List.of("10.0.0.1"),
        new GitAccess(Path.of("/etc/flotilla/git/deploy_key"), Path.of("/etc/flotilla/git/known_hosts"),
            Path.of("/etc/flotilla/git/token"), "bot"),
        new ReconcilerConfig.HistoryKeeping(Duration.ofSeconds(10), 90)));
  }

  @Test
  void aFlagOverridesTheKeyOfTheSameName() throws Exception {
    var config = Files.writeString(dir.resolve("reconciler.yaml"), """
        repo: /srv/fleet.git
        signingKey: /etc/flotilla/keys/bundle-signer.pem
        interval: 1m
        git: { tokenFile: /etc/flotilla/git/token }
        """);

    var settings = settings("--config", config.toString(), "--interval", "5s", "--repo", "/srv/other.git",
        "--git-token-file", "/run/token");

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.repo()).isEqualTo("/srv/other.git");
    assertThat(settings.git()).isEqualTo(new GitAccess(null, null, Path.of("/run/token"), null));
    assertThat(settings.signingKey()).isEqualTo(Path.of("/etc/flotilla/keys/bundle-signer.pem"));
  }

  @Test
  void theDefaultFileIsReadWhenItExistsAndOnlyThen() throws Exception {
    var command = command();
    command.defaultConfig = Files.writeString(dir.resolve("default.yaml"), """
        repo: /srv/fleet.git
        signingKey: /k/bundle-signer.pem
        """);
    new CommandLine(command).parseArgs();
    assertThat(command.settings().repo()).isEqualTo("/srv/fleet.git");

    var without = command();
    without.defaultConfig = dir.resolve("missing.yaml");
    new CommandLine(without).parseArgs("--repo", "/r", "--signing-key", "/k.pem");
    assertThat(without.settings().workDir()).isEqualTo(Path.of("/var/lib/flotilla/reconciler"));
  }

  @Test
  void theShippedExampleIsValid() throws Exception {
    var settings = dev.flotilla.cli.serve.SettingsFile.read(Path.of("../deploy/reconciler.yaml"));

    assertThat(settings.getRepo()).startsWith("ssh://");
    assertThat(settings.getGit().getKnownHosts()).isEqualTo("/etc/flotilla/git/known_hosts");
  }

  @Test
  void anSshKeyWithoutKnownHostsIsRefused() {
    var run = Run.flotilla("serve", "--repo", "ssh://git@h/f.git", "--signing-key", "/k.pem", "--git-ssh-key",
        "/etc/flotilla/git/deploy_key");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("flotilla: serve: git.sshKey needs git.knownHosts (--git-known-hosts): ");
  }

  @Test
  void schemaErrorsNameFileLineAndColumn() throws Exception {
    var config = Files.writeString(dir.resolve("reconciler.yaml"), """
        repo: /srv/fleet.git
        workDir: var/lib/flotilla
        logFormat: xml
        """);

    var run = Run.flotilla("serve", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("flotilla: " + config))
        .anySatisfy(line -> assertThat(line).startsWith("flotilla: " + config + ":2:10: error: workDir: "))
        .anySatisfy(line -> assertThat(line).startsWith("flotilla: " + config + ":3:12: error: logFormat: "));
  }

  private ServeCommand command() {
    var command = new ServeCommand();
    command.defaultConfig = dir.resolve("none.yaml");
    return command;
  }

  private ReconcilerConfig settings(String... args) throws Exception {
    var command = command();
    new CommandLine(command).parseArgs(args);
    return command.settings();
  }
}
