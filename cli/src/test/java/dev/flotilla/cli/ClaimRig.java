package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.AgentLoop;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.git.CommitTree;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.server.ReconcilerServer;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.PinnedCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The claim rig: the template fleet in a bare origin repo, an operator's clone of it, a reconciler serving the
 * origin over TLS on loopback, and helpers to make device sandboxes and send raw claims. {@link #close()} stops
 * the reconciler.
 */
final class ClaimRig implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final Path work;
  final Path origin;
  final Path ops;
  final Git opsGit;
  ReconcilerServer server;
  int port;

  ClaimRig(Path work) throws Exception {
    this.work = work;
    try (var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work.resolve("seed"))) {
      fleet.commit("Seed the fleet");
      origin = work.resolve("origin.git");
      Git.cloneRepository().setURI(fleet.repo.toString()).setDirectory(origin.toFile()).setBare(true).call().close();
      Files.createDirectories(work.resolve("keys"));
      Files.copy(fleet.keys.resolve("bundle-signer.pem"), work.resolve("keys/bundle-signer.pem"));
      Files.copy(fleet.keys.resolve("bundle-signer.pub.pem"), work.resolve("keys/bundle-signer.pub.pem"));
    }
    ops = work.resolve("ops");
    opsGit = Git.cloneRepository().setURI(origin.toString()).setDirectory(ops.toFile()).call();
  }

  ClaimRig startReconciler() throws Exception {
    server = new ReconcilerServer(new ReconcilerConfig(origin.toString(), "main", work.resolve("reconciler"),
        work.resolve("keys/bundle-signer.pem"), "127.0.0.1", port, List.of("localhost", "127.0.0.1"), null, null,
        Duration.ofMillis(500), Duration.ofDays(7), null, null), Clock.systemUTC()).start();
    port = server.address().getPort();
    return this;
  }

  void restartReconciler() throws Exception {
    server.close();
    startReconciler();
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + server.address().getPort());
  }

  /** Runs {@code flotilla token create} in the operator's clone, pushes, and returns the printed token. */
  String createToken(String... options) throws Exception {
    var args = new java.util.ArrayList<>(List.of("token", "create", "--repo", ops.toString(), "--tenant",
        "acme-retail"));
    args.addAll(List.of(options));
    var run = Run.flotilla(args.toArray(String[]::new));
    if (run.exitCode() != 0) {
      throw new AssertionError(run.err());
    }
    push();
    var lines = run.out().strip().split("\n");
    return lines[lines.length - 1];
  }

  void push() throws Exception {
    opsGit.pull().call();
    opsGit.push().call();
    if (server != null) {
      server.wakeUp();
    }
  }

  /** A device's host root with a fresh machine-id and a procfs directory, and a token file. */
  Path sandbox(String name, String token) throws Exception {
    var dir = work.resolve("devices").resolve(name);
    Files.createDirectories(dir.resolve("root/etc"));
    Files.writeString(dir.resolve("root/etc/machine-id"), HexFormat.of().formatHex(random16()) + "\n");
    Files.writeString(dir.resolve("root/etc/hostname"), name + "\n");
    for (var key : LiveFleet.SYSCTL_KEYS) {
      var file = dir.resolve("proc/sys").resolve(key.replace('.', '/'));
      Files.createDirectories(file.getParent());
      Files.writeString(file, "0\n");
    }
    Files.writeString(dir.resolve("token"), token + "\n");
    return dir;
  }

  AgentConfig agentConfig(Path sandbox) {
    var config = new AgentConfig();
    config.setServer(url());
    config.setServerCa(server.serverCertificate().toString());
    config.setStateDir(sandbox.resolve("state").toString());
    config.setHostRoot(sandbox.resolve("root").toString());
    config.setProcRoot(sandbox.resolve("proc").toString());
    config.setClaimTokenFile(sandbox.resolve("token").toString());
    config.setAllowedPaths(List.of("/etc"));
    return config;
  }

  /** Sends a raw claim body signed with {@code keys}; returns status and body. */
  HttpResponse<String> post(byte[] body, KeyPair keys) throws Exception {
    var http = HttpClient.newBuilder().sslContext(dev.flotilla.trust.PinnedCa.sslContext(
        server.serverCertificate())).build();
    var request = HttpRequest.newBuilder(url().resolve("/v1/claims")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    RequestSignature.sign(keys.getPrivate(), "claim", "POST", "/v1/claims", body, Instant.now())
        .forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] claimBody(String token, KeyPair keys, String machineId, String name) throws Exception {
    var node = JSON.createObjectNode().put("token", token).put("publicKey", Keys.publicPem(keys.getPublic()));
    node.putObject("identity").put("machineId", machineId).put("identityHash", IdentityReader.hash(machineId))
        .put("hostname", name);
    return JSON.writeValueAsBytes(node);
  }

  static String machineId() {
    return HexFormat.of().formatHex(random16());
  }

  /** The Device files on origin's main branch. */
  List<String> deviceFiles() throws Exception {
    try (var git = Git.open(origin.toFile()); var walk = new RevWalk(git.getRepository())) {
      var tree = CommitTree.of(git.getRepository(), walk.parseCommit(git.getRepository().resolve("main")));
      return tree.paths().stream().filter(p -> p.contains("/devices/")).toList();
    }
  }

  String originFile(String path) throws Exception {
    try (var git = Git.open(origin.toFile()); var walk = new RevWalk(git.getRepository())) {
      var tree = CommitTree.of(git.getRepository(), walk.parseCommit(git.getRepository().resolve("main")));
      return new String(tree.read(path, 1 << 20), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static AgentLoop loop(dev.flotilla.agent.Agent agent) {
    return new AgentLoop(agent, Duration.ofSeconds(1), line -> { });
  }

  private static byte[] random16() {
    var bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
    }
    opsGit.close();
  }
}
