package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.claim.Claimer;
import dev.flotilla.agent.config.ConfigLoader;
import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.secret.SealedFiles;
import dev.flotilla.agent.host.SystemdHost;
import dev.flotilla.agent.host.apps.AppInstaller;
import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.agent.host.apps.OciArtifacts;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.systemd.SystemdConnection;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.telemetry.DiskSpace;
import dev.flotilla.agent.telemetry.HostCollector;
import dev.flotilla.agent.telemetry.HostReader;
import dev.flotilla.agent.telemetry.HostReports;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.schema.Durations;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds an {@link Agent} from its config file, at the edge: the claim (when the config has a claim token), the
 * host's identity, the device key, the trust root and the host seams (files, sysctl, and the systemd side when a
 * D-Bus address is configured). Reads configuration here only; the agent gets values.
 */
public final class AgentWiring {
  private AgentWiring() {}

  /** Reads and checks the agent config; every problem with its line in the exception's message. */
  public static AgentConfig config(Path configFile) throws IOException {
    try {
      return new ConfigLoader().load(configFile);
    } catch (ConfigLoader.ConfigException e) {
      throw new IOException(e.problems().stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse(""), e);
    }
  }

  /** Builds the agent from its config file: identity from the host, key, trust root, host seams. */
  public static Agent agent(AgentConfig config, Clock clock) throws IOException {
    return agent(config, clock, new AgentMetrics(), line -> {});
  }

  /** As {@link #agent(AgentConfig, Clock)}, counting into {@code metrics} and logging drift to {@code log}. */
  public static Agent agent(AgentConfig config, Clock clock, AgentMetrics metrics, Consumer<String> log)
      throws IOException {
    config = Claimer.completed(config, clock, line -> System.err.println("flotilla-agent: " + line));
    var hostRoot = Path.of(config.getHostRoot());
    var procRoot = Path.of(config.getProcRoot());
    var identity = new IdentityReader(hostRoot, procRoot).read();
    if (config.getDevice() == null || config.getPrivateKey() == null || config.getTrustRoot() == null) {
      throw new IOException("start agent: the config needs 'device', 'privateKey' and 'trustRoot'"
          + " (or 'claimTokenFile' to claim; see 'flotilla-agent claim' and 'flotilla token create')");
    }
    var deviceKey = Keys.readPrivate(Path.of(config.getPrivateKey()));
    var client = new BundleClient(config.getServer(),
        config.getServerCa() == null ? null : Path.of(config.getServerCa()), config.getDevice(), deviceKey, clock);
    var allowed = config.getAllowedPaths() == null || config.getAllowedPaths().isEmpty() ? List.of("/etc")
        : config.getAllowedPaths();
    var reader = new HostReader(procRoot, hostRoot.resolve("sys"), DiskSpace.under(hostRoot));
    var settings = new AgentSettings(config.getDevice(), identity.getIdentityHash(), Path.of(config.getStateDir()),
        new HostFiles(hostRoot, allowed), new Sysctl(procRoot, hostRoot),
        Files.readAllBytes(Path.of(config.getTrustRoot())),
        config.getPollInterval() == null ? Duration.ofSeconds(30) : Durations.parse(config.getPollInterval()),
        systemdHost(config, hostRoot, client, log), deviceKey, publicKeyId(Path.of(config.getPrivateKey())),
        new HostReports(reader, log));
    metrics.registry().register(new HostCollector(reader, log));
    return new Agent(settings, client, clock, metrics, log);
  }

  /**
   * The systemd side of the host, or null when the config names no D-Bus address. Nothing connects yet: the
   * connection is made when a bundle first needs systemd, so an agent of files and sysctl runs without a bus.
   */
  static SystemdHost systemdHost(AgentConfig config, Path hostRoot, BundleClient client, Consumer<String> log) {
    if (config.getDbusAddress() == null) {
      return null;
    }
    var appsDir = config.getAppsDir() == null ? "/var/lib/flotilla/apps" : config.getAppsDir();
    return new SystemdHost(new SystemdConnection(config.getDbusAddress(), log),
        new AppStore(hostRoot.resolve(appsDir.substring(1)), appsDir),
        new OciArtifacts(client::openArtifact, config.getRegistries()), hostRoot);
  }

  /**
   * The applier for the host seams of {@code settings}: files (sealed ones opened by {@code sealed}) and sysctl,
   * and units and apps with a bus.
   */
  static Applier applier(AgentSettings settings, SealedFiles sealed) {
    var systemd = settings.systemd();
    return systemd == null ? new Applier(settings.files(), settings.sysctl(), null, null, sealed)
        : new Applier(settings.files(), settings.sysctl(), systemd.systemd(),
            new AppInstaller(systemd.apps(), systemd.artifacts(), settings.files(), systemd.systemd()), sealed);
  }

  /** The id of the public key beside the private one ({@code <name>.pub.pem}), or null when there is none. */
  static String publicKeyId(Path privateKey) {
    var name = privateKey.getFileName().toString();
    var pub = privateKey.resolveSibling(name.endsWith(".pem") ? name.substring(0, name.length() - 4) + ".pub.pem"
        : name + ".pub");
    try {
      return Files.exists(pub) ? Keys.keyId(Keys.readPublic(pub)) : null;
    } catch (IOException e) {
      return null; // only a clearer message is lost: the cipher still refuses a value sealed to another key
    }
  }
}
