package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.identity.IdentityReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlotillaAgentTest {
  @TempDir
  Path host;

  record Run(int exitCode, String out, String err) {}

  static Run agent(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var commandLine = FlotillaAgent.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), out.toString(), err.toString());
  }

  @Test
  void printsTheIdentity() throws IOException {
    Files.createDirectories(host.resolve("etc"));
    Files.writeString(host.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");

    var run = agent("identity", "--host-root", host.toString(), "--proc-root", host.resolve("proc").toString());

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("machineId: \"0123456789abcdef0123456789abcdef\"")
        .contains("identityHash: \"" + IdentityReader.hash("0123456789abcdef0123456789abcdef") + "\"");
  }

  @Test
  void identityFailsInOneLineWithoutAMachineId() {
    var run = agent("identity", "--host-root", host.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla-agent: read machine id '" + host.resolve("etc/machine-id")
        + "': no such file; run 'systemd-machine-id-setup'\n"));
  }

  @Test
  void checkConfigExitsOneOnProblems() throws IOException {
    var file = Files.writeString(host.resolve("agent.yaml"), "server: ftp://x\nstateDir: /var/lib/flotilla\n");

    var run = agent("check-config", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(file + ":1:9: error: server: 'ftp://x' is not a valid value here");
  }
}
