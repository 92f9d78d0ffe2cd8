package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler reaches the fleet repo as a CI system does, against real servers on loopback: OpenSSH's sshd
 * (Debian openssh-server) with its own host key and an authorized_keys entry forced to git-shell, and git
 * http-backend under lighttpd with basic authentication. Fetch and push work with the right credentials; a host key
 * not pinned, or a wrong token, fails without a credential in the message. Needs root (sshd).
 */
class GitAccessIT {
  static final String TOKEN = "tok-3b5f0c2e9a71";

  @TempDir
  Path dir;

  final List<Process> servers = new ArrayList<>();
  String commit;

  @BeforeEach
  void fleetRepo() throws Exception {
    var work = dir.resolve("work");
    try (var git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("fleet.yaml"), "kind: Fleet\n");
      git.add().addFilepattern(".").call();
      commit = git.commit().setMessage("first").setSign(false)
          .setAuthor(new PersonIdent("t", "t@example")).setCommitter(new PersonIdent("t", "t@example")).call().name();
    }
    Files.createDirectories(dir.resolve("repos"));
    Git.cloneRepository().setURI(work.toUri().toString()).setBare(true)
        .setDirectory(dir.resolve("repos/fleet.git").toFile()).call().close();
    run("git", "-C", dir.resolve("repos/fleet.git").toString(), "config", "http.receivepack", "true");
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (var server : servers) {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  void fetchesAndPushesOverSshWithADeployKeyAndAPinnedHostKey() throws Exception {
    int port = sshd();
    var access = new GitAccess(dir.resolve("deploy_key"), dir.resolve("known_hosts"), null, null);
    var url = "ssh://root@127.0.0.1:" + port + dir.resolve("repos/fleet.git");

    try (var transports = new GitTransport(access);
         var repo = FleetRepo.mirror(dir.resolve("mirror"), url, "main", transports)) {
      assertThat(repo.fetch().commit()).isEqualTo(commit);
      var pushed = new FleetCommits(repo.repository(), new PersonIdent("r", "r@example"), transports)
          .push(url, "flotilla-status", tip -> new FleetCommits.Proposal(
              List.of(new FileChange.Put("status/x.yaml", "x: 1\n".getBytes())), "status"));
      assertThat(pushed.created()).isTrue();
    }
    assertThat(run("git", "-C", dir.resolve("repos/fleet.git").toString(), "rev-parse", "flotilla-status").strip())
        .hasSize(40);
  }

  @Test
  void refusesAServerWhoseHostKeyIsNotPinned() throws Exception {
    int port = sshd();
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("other_host_key").toString());
    Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
        + Files.readString(dir.resolve("other_host_key.pub")));
    var access = new GitAccess(dir.resolve("deploy_key"), dir.resolve("known_hosts"), null, null);

    try (var transports = new GitTransport(access); var repo = FleetRepo.mirror(dir.resolve("mirror"),
        "ssh://root@127.0.0.1:" + port + dir.resolve("repos/fleet.git"), "main", transports)) {
      assertThatThrownBy(repo::fetch).isInstanceOf(IOException.class)
          .hasMessageStartingWith("fetch 'ssh://***@127.0.0.1:" + port);
    }
  }

  @Test
  void fetchesAndPushesOverHttpWithATokenFromAFile() throws Exception {
    int port = lighttpd();
    var token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    var url = "http://127.0.0.1:" + port + "/git/fleet.git";

    try (var transports = new GitTransport(new GitAccess(null, null, token, "bot"));
         var repo = FleetRepo.mirror(dir.resolve("mirror"), url, "main", transports)) {
      assertThat(repo.fetch().commit()).isEqualTo(commit);
      var pushed = new FleetCommits(repo.repository(), new PersonIdent("r", "r@example"), transports)
          .push(url, "flotilla-status", tip -> new FleetCommits.Proposal(
              List.of(new FileChange.Put("status/x.yaml", "x: 1\n".getBytes())), "status"));
      assertThat(pushed.created()).isTrue();
    }
  }

  @Test
  void aRefusedTokenFailsWithoutACredentialInTheMessage() throws Exception {
    int port = lighttpd();
    var token = Files.writeString(dir.resolve("token"), "wrong-" + TOKEN + "\n");
    var url = "http://bot:url-secret-77@127.0.0.1:" + port + "/git/fleet.git";

    try (var transports = new GitTransport(new GitAccess(null, null, token, "bot"));
         var repo = FleetRepo.mirror(dir.resolve("mirror"), url, "main", transports)) {
      assertThatThrownBy(repo::fetch).isInstanceOf(IOException.class)
          .hasMessageStartingWith("fetch 'http://***@127.0.0.1:" + port + "/git/fleet.git': ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN, "url-secret-77"));
    }
  }

  /** sshd on a free loopback port; the deploy key may only run git-shell. Writes known_hosts for it. */
  private int sshd() throws Exception {
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("deploy_key").toString());
    Files.writeString(dir.resolve("authorized_keys"), "command=\"git-shell -c \\\"$SSH_ORIGINAL_COMMAND\\\"\","
        + "restrict " + Files.readString(dir.resolve("deploy_key.pub")));
    int port = freePort();
    Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("host_key"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
        "PermitRootLogin prohibit-password", "PidFile none", "") + "\n");
    Files.createDirectories(Path.of("/run/sshd"));
    start("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString());
    awaitPort(port);
    Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
        + Files.readString(dir.resolve("host_key.pub")));
    return port;
  }

  /** lighttpd serving git http-backend at /git/, basic auth for user 'bot' with {@link #TOKEN}. */
  private int lighttpd() throws Exception {
    int port = freePort();
    Files.writeString(dir.resolve("users"), "bot:" + TOKEN + "\n");
    Files.writeString(dir.resolve("lighttpd.conf"), """
        server.modules = ("mod_alias", "mod_auth", "mod_authn_file", "mod_cgi", "mod_setenv")
        server.document-root = "%1$s"
        server.bind = "127.0.0.1"
        server.port = %2$d
        server.errorlog = "%1$s/lighttpd.log"
        alias.url = ("/git" => "/usr/lib/git-core/git-http-backend")
        cgi.assign = ("" => "")
        setenv.add-environment = ("GIT_PROJECT_ROOT" => "%1$s/repos", "GIT_HTTP_EXPORT_ALL" => "1")
        auth.backend = "plain"
        auth.backend.plain.userfile = "%1$s/users"
        auth.require = ("/git" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
        """.formatted(dir, port));
    start("lighttpd", "-D", "-f", dir.resolve("lighttpd.conf").toString());
    awaitPort(port);
    return port;
  }

  private void start(String... command) throws IOException {
    servers.add(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(Path.of(command[0]).getFileName() + ".out").toFile()).start());
  }

  private static String run(String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitPort(int port) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (var socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        assertThat(servers.getLast().isAlive()).as("server running; see " + dir).isTrue();
        Thread.sleep(25);
      }
    }
    throw new AssertionError("nothing listens on 127.0.0.1:" + port);
  }
}
