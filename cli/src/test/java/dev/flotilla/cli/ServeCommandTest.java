package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla serve} refuses bad settings with one line and exit code 2, before it starts anything. */
class ServeCommandTest {
  @TempDir
  Path work;

  @Test
  void needsARepoAndASigningKey() {
    var run = Run.flotilla("serve", "--repo", "/tmp/fleet");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("flotilla: serve: needs --repo and --signing-key (or 'repo' and 'signingKey' in --config)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void refusesAListenAddressWithoutAPort() {
    var run = Run.flotilla("serve", "--repo", "/tmp/fleet", "--signing-key", "k.pem", "--listen", "localhost");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("flotilla: serve: listen address 'localhost' needs HOST:PORT");
  }

  @Test
  void namesAnUnknownSettingInTheConfigFile() throws Exception {
    var config = work.resolve("serve.yaml");
    Files.writeString(config, "repo: /tmp/fleet\nsigningKey: /k.pem\nintervall: 10s\n");

    var run = Run.flotilla("serve", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("flotilla: " + config + ":3:12: error: intervall: unknown field "
        + "'intervall'; did you mean 'interval'?");
  }

  @Test
  void refusesAConfigFileThatIsNotAMapping() throws Exception {
    var config = work.resolve("serve.yaml");
    Files.writeString(config, "- repo\n");

    var run = Run.flotilla("serve", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("flotilla: " + config + ":1:1: error: ").doesNotContain("\n");
  }

  @Test
  void refusesAMalformedDuration() {
    var run = Run.flotilla("serve", "--repo", "/tmp/fleet", "--signing-key", "k.pem", "--interval", "soon");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("flotilla: serve: ").contains("soon").doesNotContain("\n");
  }

  @Test
  void refusesATrustedProxyThatIsNoIpAddress() {
    var run = Run.flotilla("serve", "--repo", "/tmp/fleet", "--signing-key", "k.pem", "--trusted-proxy",
        "proxy.example");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("flotilla: serve: trusted proxy 'proxy.example': not an IP address");
  }

  @Test
  void refusesAMetricsAddressWithoutAPort() {
    var run = Run.flotilla("serve", "--repo", "/tmp/fleet", "--signing-key", "k.pem", "--metrics-listen", "0.0.0.0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("flotilla: serve: metrics listen address '0.0.0.0' needs HOST:PORT");
  }

  @Test
  void refusesAnEmptyOperatorTokenFile() throws Exception {
    var token = Files.writeString(work.resolve("token"), "\n");

    var run = Run.flotilla("serve", "--repo", "/tmp/fleet", "--signing-key", "k.pem", "--operator-token-file",
        token.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("flotilla: serve: operator token file '" + token + "' is empty");
  }
}
