package dev.flotilla.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.agent.bundle.SystemTrustOnDemand;
import dev.flotilla.agent.config.ConfigLoader;
import dev.flotilla.build.BuildInfo;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.io.Failures;
import dev.flotilla.output.Output;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The device command {@code flotilla-agent}. Exit codes: 0 ok, 1 failure, 2 usage. */
@Command(name = "flotilla-agent", mixinStandardHelpOptions = true, versionProvider = FlotillaAgent.Version.class,
    description = "The Flotilla device agent.",
    subcommands = {RunCommand.class, ApplyCommand.class, PlanCommand.class, StatusCommand.class,
        FlotillaAgent.Identity.class, FlotillaAgent.CheckConfig.class, ClaimCommand.class})
public final class FlotillaAgent {

  public static void main(String[] args) {
    SystemTrustOnDemand.install(); // the system's CAs parsed only if a connection needs them (its Javadoc says why)
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    var commandLine = commandLine();
    int code;
    try {
      code = commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
    System.exit(code);
  }

  /** {@code flotilla-agent VERSION (commit C)}, as stamped into the build; status reports carry the same. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"flotilla-agent " + BuildInfo.current().describe()};
    }
  }

  public static CommandLine commandLine() {
    var commandLine = new CommandLine(new FlotillaAgent());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("flotilla-agent: " + Failures.describe(e));
      return 1;
    });
    exitCodes(commandLine);
    commandLine.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println("flotilla-agent: " + e.getMessage());
      return 2;
    });
    return commandLine;
  }

  /** Every command's --help lists its exit codes; {@code plan} exits 3 when it finds changes. */
  private static void exitCodes(CommandLine commandLine) {
    var codes = new java.util.LinkedHashMap<String, String>();
    codes.put("0", "ok");
    codes.put("1", "failure (one line on stderr says why)");
    codes.put("2", "usage error");
    if (commandLine.getCommandName().equals("plan")) {
      codes.put("3", "changes found");
    }
    commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    commandLine.getSubcommands().values().forEach(FlotillaAgent::exitCodes);
  }

  @Command(name = "identity", mixinStandardHelpOptions = true,
      description = "Print this machine's identity: machine-id, identity hash, DMI UUID, host name, OS.")
  static final class Identity implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host-root", defaultValue = "/", description = "Root to read /etc and /sys under.")
    Path hostRoot;

    @Option(names = "--proc-root", defaultValue = "/proc", description = "The procfs to read the kernel from.")
    Path procRoot;

    @Override
    public Integer call() throws Exception {
      var identity = new IdentityReader(hostRoot, procRoot).read();
      var yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
      Output.of(spec).text(yaml.writeValueAsString(identity));
      return 0;
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = "Check an agent config file and print every problem with its line.")
  static final class CheckConfig implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", defaultValue = "/etc/flotilla/agent.yaml", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      var out = Output.of(spec);
      try {
        var config = new ConfigLoader().load(file);
        out.line("config is valid: server " + config.getServer() + ", state in " + config.getStateDir());
        return 0;
      } catch (ConfigLoader.ConfigException e) {
        e.problems().forEach(p -> out.line(p.toString()));
        return 1;
      }
    }
  }
}
