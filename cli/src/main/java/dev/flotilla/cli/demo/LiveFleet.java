package dev.flotilla.cli.demo;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentLoop;
import dev.flotilla.agent.AgentWiring;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.artifact.ArtifactSigner;
import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.cli.fleet.DeviceFiles;
import dev.flotilla.cli.fleet.FleetName;
import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.model.KeyRole;
import dev.flotilla.reconcile.ReconcilerConfig;
import dev.flotilla.server.ReconcilerServer;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;

/**
 * A whole fleet on one machine: the template copied into a fresh Git repo with new keys (its artifacts signed anew
 * with them), a reconciler serving it over TLS on loopback, and agents in sandboxes (a host root with its own
 * machine-id, a procfs directory). Used by {@code flotilla demo} and the end-to-end ITs. {@link #close()} stops everything it started.
 */
public final class LiveFleet implements AutoCloseable {
  public static final List<String> SYSCTL_KEYS = List.of("net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter",
      "net.ipv4.conf.all.accept_redirects", "net.ipv4.tcp_syncookies", "kernel.kptr_restrict", "kernel.dmesg_restrict",
      "net.ipv4.tcp_keepalive_time", "vm.swappiness", "net.core.somaxconn", "fs.inotify.max_user_watches");

  public final Path work;
  public final Path repo;
  public final Path keys;
  public final Git git;
  public final List<Sandbox> devices = new ArrayList<>();
  public ReconcilerServer server;
  private java.util.function.BiConsumer<String, Pass> passes = (device, pass) -> { };

  /** One agent and its sandbox, with the metrics it counts into (serve them with MetricsServer). */
  public record Sandbox(String name, Path root, Path proc, Agent agent, AgentLoop loop, Thread thread,
      AgentMetrics metrics) {}

  public LiveFleet(Path template, Path work) throws Exception {
    this.work = work;
    this.repo = work.resolve("fleet");
    this.keys = work.resolve("keys");
    copy(template, repo);
    var ring = new KeyRing(keys, Clock.systemUTC());
    KeyRing.write(repo, ring.init(FleetName.of(repo), Duration.ofDays(365)));
    // the template's artifacts are signed by the template's key; the new root trusts only the new one
    ArtifactFile.signAll(repo, new ArtifactSigner(ring.pair(KeyRole.ARTIFACT_SIGNER)));
    git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
  }

  /** Gives {@code names} a sandbox, a key and an identity, and writes both into their Device files. */
  public void enrol(List<String> names) throws Exception {
    for (var name : names) {
      enrol(name, work.resolve("devices").resolve(name).resolve("root"));
    }
  }

  /**
   * Gives {@code name} a key and the identity of the host root {@code root} (its machine-id, made when it has none)
   * and a procfs directory, and writes both into its Device file.
   */
  public void enrol(String name, Path root) throws Exception {
    var proc = work.resolve("devices").resolve(name).resolve("proc");
    var machineIdFile = root.resolve("etc/machine-id");
    String machineId;
    if (Files.exists(machineIdFile) && !Files.readString(machineIdFile).isBlank()) {
      machineId = Files.readString(machineIdFile).strip();
    } else {
      Files.createDirectories(root.resolve("etc"));
      machineId = HexFormat.of().formatHex(randomBytes());
      Files.writeString(machineIdFile, machineId + "\n");
    }
    for (var key : SYSCTL_KEYS) {
      var file = proc.resolve("sys").resolve(key.replace('.', '/'));
      Files.createDirectories(file.getParent());
      Files.writeString(file, key.startsWith("net.ipv4.conf") || key.endsWith("syncookies") ? "1\n" : "0\n");
    }
    var deviceKeys = work.resolve("devices").resolve(name);
    var pair = Keys.generate();
    Keys.writePrivate(deviceKeys.resolve("device.pem"), pair.getPrivate());
    var file = DeviceFiles.find(repo, name);
    var text = DeviceFiles.withPublicKey(Files.readString(file), Keys.publicPem(pair.getPublic()));
    text = text.replaceFirst("hash: sha256:[0-9a-f]{64}", "hash: " + IdentityReader.hash(machineId));
    Files.writeString(file, text);
    devices.add(new Sandbox(name, root, proc, null, null, null, null));
  }

  public String commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    return git.commit().setMessage(message).setAuthor("Flotilla demo", "demo@flotilla.dev")
        .setCommitter("Flotilla demo", "demo@flotilla.dev").call().getName();
  }

  /** The artifact store the reconciler serves; 'flotilla artifact add --store' writes to it. */
  public Path artifactStore() {
    return work.resolve("artifact-store");
  }

  public void startReconciler(Duration interval) throws IOException {
    startReconciler(interval, null);
  }

  /**
   * With {@code operatorToken} guarding the operator endpoints; null lets the reconciler make one in
   * {@link #operatorTokenFile()}. Metrics go to a free loopback port.
   */
  public void startReconciler(Duration interval, String operatorToken) throws IOException {
    server = new ReconcilerServer(reconcilerConfig(interval, operatorToken), Clock.systemUTC()).start();
  }

  private ReconcilerConfig reconcilerConfig(Duration interval, String operatorToken) {
    return new ReconcilerConfig(repo.toString(), "main", work.resolve("reconciler"),
        keys.resolve("bundle-signer.pem"), "127.0.0.1", 0, List.of("localhost", "127.0.0.1"), null, null,
        interval, Duration.ofDays(7), operatorToken, artifactStore());
  }

  /** The operator token the reconciler made when it was given none. */
  public Path operatorTokenFile() {
    return reconcilerConfig(Duration.ZERO, null).operatorTokenFile();
  }

  /** Tells {@code listener} of every pass of the agents started afterwards, by device, after its log line. */
  void onPass(java.util.function.BiConsumer<String, Pass> listener) {
    this.passes = listener;
  }

  public void startAgents(Duration wait, java.util.function.BiConsumer<String, String> log) throws IOException {
    startAgents(wait, log, (device, config) -> { });
  }

  /** As {@link #startAgents(Duration, java.util.function.BiConsumer)}, {@code tune} adjusting each config first. */
  public void startAgents(Duration wait, java.util.function.BiConsumer<String, String> log,
      java.util.function.BiConsumer<String, AgentConfig> tune) throws IOException {
    var started = new ArrayList<Sandbox>();
    for (var sandbox : devices) {
      var config = new AgentConfig();
      config.setServer(URI.create("https://127.0.0.1:" + server.address().getPort()));
      config.setServerCa(server.serverCertificate().toString());
      config.setDevice(sandbox.name());
      config.setPrivateKey(work.resolve("devices").resolve(sandbox.name()).resolve("device.pem").toString());
      config.setTrustRoot(repo.resolve("trust/root.json").toString());
      config.setStateDir(work.resolve("devices").resolve(sandbox.name()).resolve("state").toString());
      config.setHostRoot(sandbox.root().toString());
      config.setProcRoot(sandbox.proc().toString());
      config.setAllowedPaths(List.of("/etc"));
      tune.accept(sandbox.name(), config);
      var metrics = new AgentMetrics();
      var agent = AgentWiring.agent(config, Clock.systemUTC(), metrics, line -> { });
      var loop = AgentLoop.watching(agent, wait, line -> log.accept(sandbox.name(), line), () -> {})
          .onPass(pass -> passes.accept(sandbox.name(), pass));
      var thread = Thread.ofPlatform().name("agent-" + sandbox.name()).daemon(true).start(loop::run);
      started.add(new Sandbox(sandbox.name(), sandbox.root(), sandbox.proc(), agent, loop, thread, metrics));
    }
    devices.clear();
    devices.addAll(started);
  }

  /** The version the reconciler serves to {@code device}, 0 when none. */
  public long served(String device) {
    var published = server.reconciler().publisher().get(device);
    return published == null ? 0 : published.version();
  }

  /** Whether every agent has applied what the reconciler serves it. */
  public boolean converged() {
    for (var sandbox : devices) {
      var last = sandbox.agent().last();
      if (last == null || !last.ready() || last.version() != served(sandbox.name())) {
        return false;
      }
    }
    return true;
  }

  /** Waits until the reconciler serves {@code commit}. */
  public boolean awaitServing(String commit, Duration timeout) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var good = server.reconciler().status().good();
      if (good != null && good.commit().equals(commit)) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** Waits until the reconciler has looked at {@code commit}, whether it took it or refused it. */
  public boolean awaitSeen(String commit, Duration timeout) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var seen = server.reconciler().status().seen();
      if (seen != null && seen.commit().equals(commit)) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  public boolean awaitConverged(Duration timeout) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (converged()) {
        return true;
      }
      Thread.sleep(50);
    }
    return converged();
  }

  @Override
  public void close() throws Exception {
    for (var sandbox : devices) {
      if (sandbox.loop() != null) {
        sandbox.loop().close();
        sandbox.thread().join(5000);
        sandbox.agent().close();
      }
    }
    if (server != null) {
      server.close();
    }
    git.close();
  }

  private static byte[] randomBytes() {
    var bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (var source : walk.toList()) {
        var relative = from.relativize(source);
        if (relative.toString().startsWith(".flotilla") || relative.toString().startsWith("trust")) {
          continue; // the schemas are for editors, not fleet files; the trust root is made anew with fresh keys
        }
        var target = to.resolve(relative.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
