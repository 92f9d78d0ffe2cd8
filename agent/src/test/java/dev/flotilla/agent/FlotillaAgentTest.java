package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.state.AgentState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlotillaAgentTest {
  @TempDir
  Path host;

  record Run(int exitCode, String out, String err) {}

  /**
   * Runs the agent with writers buffered as picocli's own are (flushed on println only) and reads what reached the
   * streams when the command returned: output left unflushed before {@code System.exit} is missing here too.
   */
  static Run agent(String... args) {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    var commandLine = FlotillaAgent.commandLine();
    commandLine.setOut(buffered(out));
    commandLine.setErr(buffered(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static PrintWriter buffered(java.io.OutputStream bytes) {
    return new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(bytes,
        java.nio.charset.StandardCharsets.UTF_8)), true);
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

  /** The config file of a sandbox device with a machine id, as {@code flotilla-agent -c} reads it. */
  private Path configFile(TestDevice device) throws IOException {
    Files.writeString(device.host.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    var config = device.config();
    return Files.writeString(host.resolve("agent.yaml"), String.join("\n",
        "server: " + config.getServer(), "device: " + config.getDevice(), "stateDir: " + config.getStateDir(),
        "hostRoot: " + config.getHostRoot(), "procRoot: " + config.getProcRoot(),
        "privateKey: " + config.getPrivateKey(), "trustRoot: " + config.getTrustRoot(), ""));
  }

  @Test
  void planPrintsThroughABufferedStandardOutput() throws Exception {
    var file = configFile(new TestDevice(host));
    var bytes = new java.io.ByteArrayOutputStream();
    var commandLine = FlotillaAgent.commandLine();
    // as picocli's default out: buffered, flushed only by println
    commandLine.setOut(new PrintWriter(new java.io.OutputStreamWriter(bytes, java.nio.charset.StandardCharsets.UTF_8)));
    commandLine.setErr(new PrintWriter(new StringWriter(), true));

    var exit = commandLine.execute("plan", "-c", file.toString());

    assertThat(exit).isZero();
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("no changes\n");
  }

  @Test
  void statusSaysOnStandardErrorThatTheStateDatabaseIsANewerAgents() throws Exception {
    var device = new TestDevice(host);
    var file = configFile(device);
    AgentState.open(device.stateDir).close();
    try (var db = DriverManager.getConnection("jdbc:sqlite:" + device.stateDir.resolve("agent.db"))) {
      db.createStatement().execute("UPDATE schema_version SET version = 3, compatible_from = 2");
    }

    var run = agent("status", "-c", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).startsWith("bundle version: 0\n");
    assertThat(run.err()).isEqualTo("flotilla-agent: agent state '" + device.stateDir.resolve("agent.db")
        + "': schema version 3 from a newer agent; this agent (schema 2) can use it\n");
  }

  @Test
  void aMissingPrivateKeyIsNamedInOneLine() throws Exception {
    var device = new TestDevice(host);
    var file = configFile(device);
    var key = device.stateDir.resolveSibling("device.key"); // where TestDevice.config() writes it
    Files.delete(key);

    var run = agent("status", "-c", file.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla-agent: '" + key + "': no such file or directory\n"));
  }
}
