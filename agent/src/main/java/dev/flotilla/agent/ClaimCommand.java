package dev.flotilla.agent;

import dev.flotilla.agent.claim.Claimer;
import dev.flotilla.agent.config.ConfigLoader;
import dev.flotilla.agent.identity.IdentityReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla-agent claim}: enrol this device with a claim token, then exit; {@code run} takes it from there. */
@Command(name = "claim", mixinStandardHelpOptions = true,
    description = "Claim this device: make its key, send its identity with the token, wait until it is enrolled.")
final class ClaimCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "An agent config to take the state dir, host root and server CA from.")
  Path config;

  @Option(names = "--server", paramLabel = "URL", description = "The reconciler, such as https://flotilla:8443.")
  URI server;

  @Option(names = "--server-ca", paramLabel = "FILE", description = "PEM the server's certificate must chain to.")
  Path serverCa;

  @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "The claim token.")
  Path tokenFile;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where to keep the key and what it learns.")
  Path stateDir;

  @Option(names = "--host-root", defaultValue = "/", paramLabel = "DIR")
  Path hostRoot;

  @Option(names = "--proc-root", defaultValue = "/proc", paramLabel = "DIR")
  Path procRoot;

  @Option(names = "--name", paramLabel = "NAME", description = "The device name to ask for.")
  String name;

  @Option(names = "--poll", defaultValue = "2s", description = "How often to ask while waiting for approval.")
  String poll;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (config != null && Files.exists(config)) {
      try {
        var c = new ConfigLoader().load(config);
        server = server != null ? server : c.getServer();
        serverCa = serverCa != null || c.getServerCa() == null ? serverCa : Path.of(c.getServerCa());
        stateDir = stateDir != null ? stateDir : Path.of(c.getStateDir());
        hostRoot = Path.of(c.getHostRoot());
        procRoot = Path.of(c.getProcRoot());
      } catch (ConfigLoader.ConfigException e) {
        throw new IOException(e.problems().getFirst().toString(), e);
      }
    }
    if (server == null || stateDir == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "claim: pass --server and --state-dir, or -c with an agent config");
    }
    var out = spec.commandLine().getOut();
    var claimer = new Claimer(server, serverCa, stateDir, new IdentityReader(hostRoot, procRoot), Clock.systemUTC(),
        dev.flotilla.schema.Durations.parse(poll), line -> {
          out.println("flotilla-agent: " + line);
          out.flush();
        });
    var claimed = claimer.claim(tokenFile, name);
    out.println("flotilla-agent: enrolled as device '" + claimed.device() + "' of tenant '" + claimed.tenant()
        + "'; state in " + stateDir + "; start 'flotilla-agent run'");
    return 0;
  }
}
