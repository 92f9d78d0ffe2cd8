package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.KeyRole;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device sandbox for agent tests: a host root, a procfs directory, a state directory, a fleet's keys and trust
 * root, and signed bundles for device kiosk-1. Its server address is a closed loopback port, so the agent's
 * fetches fail and every pass a test sees is a local one.
 */
public final class TestDevice {
  public static final String IDENTITY = "sha256:" + "ab".repeat(32);
  public final Path host;
  public final Path proc;
  public final Path stateDir;
  public final KeyPair root = Keys.generate();
  public final KeyPair signer = Keys.generate();
  public final KeyPair deviceKey = Keys.generate();
  public final List<String> log = Collections.synchronizedList(new ArrayList<>());
  public final AgentMetrics metrics = new AgentMetrics();
  private final HostFiles files;
  private final Sysctl sysctl;

  public TestDevice(Path dir) throws IOException {
    this.host = Files.createDirectories(dir.resolve("host"));
    this.proc = Files.createDirectories(dir.resolve("proc"));
    this.stateDir = Files.createDirectories(dir.resolve("state"));
    Files.createDirectories(host.resolve("etc"));
    this.files = new HostFiles(host, List.of("/etc"));
    this.sysctl = new Sysctl(proc, host);
  }

  public HostFiles files() {
    return files;
  }

  public Sysctl sysctl() {
    return sysctl;
  }

  /** Writes a fake procfs key, such as {@code vm.swappiness}. */
  public void procKey(String key, String value) throws IOException {
    var file = proc.resolve("sys/" + key.replace('.', '/'));
    Files.createDirectories(file.getParent());
    Files.writeString(file, value + "\n");
  }

  /** The fleet's trust root (version 1, expiring in 30 days) as JSON. */
  public byte[] rootJson() {
    return TrustRoots.toJson(TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.now().plus(Duration.ofDays(30)),
        Map.of(KeyRole.ROOT, List.of(root.getPublic()), KeyRole.BUNDLE_SIGNER, List.of(signer.getPublic())),
        Map.of()), List.of(root)));
  }

  public Agent agent() throws IOException {
    return agent(URI.create("http://127.0.0.1:9"));
  }

  /** The agent of this device, talking to {@code server}. */
  public Agent agent(URI server) throws IOException {
    return agent(server, Clock.systemUTC());
  }

  /** The agent of this device, talking to {@code server}, planning and verifying at {@code clock}'s time. */
  public Agent agent(URI server, Clock clock) throws IOException {
    var settings = new AgentSettings("kiosk-1", IDENTITY, stateDir, files, sysctl, rootJson(), Duration.ofSeconds(30),
        null, deviceKey.getPrivate(), Keys.keyId(deviceKey.getPublic()));
    var client = new BundleClient(server, null, "kiosk-1", deviceKey.getPrivate(), clock);
    return new Agent(settings, client, clock, metrics, log::add);
  }

  /**
   * An agent config for this device as {@code flotilla-agent} reads it (its trust root and key written beside the
   * state directory), with a closed loopback port as server and no D-Bus address.
   */
  public AgentConfig config() throws IOException {
    var rootFile = stateDir.resolveSibling("root.json");
    Files.write(rootFile, rootJson());
    var keyFile = stateDir.resolveSibling("device.key");
    Keys.writePrivate(keyFile, deviceKey.getPrivate());
    var config = new AgentConfig();
    config.setServer(URI.create("http://127.0.0.1:9"));
    config.setDevice("kiosk-1");
    config.setStateDir(stateDir.toString());
    config.setHostRoot(host.toString());
    config.setProcRoot(proc.toString());
    config.setPrivateKey(keyFile.toString());
    config.setTrustRoot(rootFile.toString());
    return config;
  }

  /** A payload of {@code version} for kiosk-1 with these files (path → content) and sysctl values. */
  public static BundlePayload payload(long version, Map<String, String> fileContents, Map<String, String> sysctlValues) {
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("acme-fleet");
    payload.setTenant("acme");
    payload.setDevice("kiosk-1");
    payload.setIdentityHash(IDENTITY);
    payload.setVersion(version);
    payload.setIssuedAt(Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(Instant.now().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
    payload.setSourceCommit("0123456789abcdef0123456789abcdef01234567");
    payload.setRootVersion(1L);
    var state = new DesiredState();
    state.setSysctl(new TreeMap<>(sysctlValues));
    var specs = new ArrayList<FileSpec>();
    new TreeMap<>(fileContents).forEach((path, content) -> {
      var spec = new FileSpec();
      spec.setPath(path);
      spec.setContent(content);
      specs.add(spec);
    });
    state.setFiles(specs);
    payload.setState(state);
    return payload;
  }

  public byte[] signed(BundlePayload payload) {
    return new BundleSigner(signer).sign(BundlePayloads.encode(payload));
  }

  public List<String> logLines() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }
}
