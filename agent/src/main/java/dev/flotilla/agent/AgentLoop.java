package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.config.ConfigLoader;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.schema.Durations;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs an {@link Agent} until stopped: re-apply the stored bundle at start (offline is fine), then long-poll the
 * server for the next bundle, one pass at a time; on errors wait with jittered exponential backoff (1 s doubling to
 * 60 s) and keep the last good state.
 */
public final class AgentLoop implements AutoCloseable {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private final Agent agent;
  private final Duration wait;
  private final Consumer<String> log;
  private volatile boolean running = true;
  private volatile Thread thread;

  public AgentLoop(Agent agent, Duration wait, Consumer<String> log) {
    this.agent = agent;
    this.wait = wait;
    this.log = log;
  }

  /** Builds the agent from its config file: identity from the host, key, trust root, host seams. */
  public static Agent agent(AgentConfig config, Clock clock) throws IOException {
    config = dev.flotilla.agent.claim.Claimer.completed(config, clock, line -> System.err.println("flotilla-agent: " + line));
    var hostRoot = Path.of(config.getHostRoot());
    var procRoot = Path.of(config.getProcRoot());
    var identity = new IdentityReader(hostRoot, procRoot).read();
    if (config.getDevice() == null || config.getPrivateKey() == null || config.getTrustRoot() == null) {
      throw new IOException("start agent: the config needs 'device', 'privateKey' and 'trustRoot'"
          + " (or 'claimTokenFile' to claim; see 'flotilla-agent claim' and 'flotilla token create')");
    }
    var settings = new AgentSettings(config.getDevice(), identity.getIdentityHash(), Path.of(config.getStateDir()),
        new HostFiles(hostRoot, config.getAllowedPaths() == null || config.getAllowedPaths().isEmpty() ? java.util.List.of("/etc") : config.getAllowedPaths()), new Sysctl(procRoot, hostRoot),
        Files.readAllBytes(Path.of(config.getTrustRoot())),
        config.getPollInterval() == null ? Duration.ofSeconds(30) : Durations.parse(config.getPollInterval()));
    var client = new BundleClient(config.getServer(),
        config.getServerCa() == null ? null : Path.of(config.getServerCa()), config.getDevice(),
        Keys.readPrivate(Path.of(config.getPrivateKey())), clock);
    return new Agent(settings, client, clock);
  }

  public static Agent agent(Path configFile, Clock clock) throws IOException {
    try {
      return agent(new ConfigLoader().load(configFile), clock);
    } catch (ConfigLoader.ConfigException e) {
      throw new IOException(e.problems().stream().map(Object::toString).reduce((a, b) -> a + "\n" + b).orElse(""), e);
    }
  }

  public Agent agent() {
    return agent;
  }

  /** Runs on the calling thread until {@link #close()}. */
  public void run() {
    thread = Thread.currentThread();
    try {
      agent.resume().ifPresent(pass -> log.accept(describe(pass)));
    } catch (IOException e) {
      log.accept("resume: " + e.getMessage());
    }
    var backoff = Duration.ofSeconds(1);
    Agent.Pass previous = null;
    while (running) {
      try {
        var pass = agent.reconcileOnce(wait);
        if (!running) {
          return;
        }
        if (previous == null || !pass.reason().equals("UpToDate") || !previous.reason().equals("UpToDate")) {
          log.accept(describe(pass));
        }
        previous = pass;
        backoff = Duration.ofSeconds(1);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.accept(e.getMessage() + "; retrying in " + backoff.toSeconds() + "s, keeping the last good state");
        try {
          Thread.sleep(backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
        } catch (InterruptedException stop) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  static String describe(Agent.Pass pass) {
    return "version " + pass.version() + ": " + pass.reason() + ": " + pass.message();
  }

  @Override
  public void close() throws IOException {
    running = false;
    var t = thread;
    if (t != null && !agent.applying()) {
      t.interrupt(); // stops a long-poll at once; a pass that is applying finishes first
    }
  }
}
