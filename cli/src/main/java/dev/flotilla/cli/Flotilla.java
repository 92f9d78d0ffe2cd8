package dev.flotilla.cli;

import dev.flotilla.build.BuildInfo;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.io.Failures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The operator command {@code flotilla}. Exit codes: 0 ok, 1 failure, 2 usage, 3 differences found.
 *
 * <p>Expected failures are one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(name = "flotilla", mixinStandardHelpOptions = true, versionProvider = Flotilla.Version.class,
    description = "Git-native fleet manager for edge devices.",
    subcommands = {ValidateCommand.class, PlanCommand.class, ServeCommand.class, KeysCommand.class, DeviceCommand.class,
        ArtifactCommand.class, DemoCommand.class, SchemaCommand.class, RolloutCommand.class, RollbackCommand.class,
        StatusCommand.class, TokenCommand.class, ClaimsCommand.class, DevicesCommand.class, CompletionCommand.class,
        SecretCommand.class, ReleaseCommand.class, ReceiptsCommand.class, HistoryCommand.class,
        ReportCommand.class})
public final class Flotilla {
  public static final int OK = ExitCodes.OK;
  public static final int FAILURE = ExitCodes.FAILURE;
  public static final int USAGE = ExitCodes.USAGE;
  public static final int DIFFERENCES = ExitCodes.DIFFERENCES;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
  boolean verbose;

  private final Settings settings;

  /** What {@code main} reads from the environment, passed down to the commands. */
  public record Settings(Path home) {}

  Flotilla(Settings settings) {
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  public static void main(String[] args) {
    // networknt logs through SLF4J; without a provider SLF4J prints a warning on every run.
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    var home = System.getProperty("flotilla.home", System.getenv().getOrDefault("FLOTILLA_HOME", "."));
    System.exit(run(commandLine(new Settings(Path.of(home))), args));
  }

  /** Runs {@code args} and flushes both writers, whatever the command left in them, before the caller exits. */
  static int run(CommandLine commandLine, String... args) {
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
  }

  /** The configured command line; tests set its writers and call {@code execute}. */
  public static CommandLine commandLine(Settings settings) {
    var root = new Flotilla(settings);
    var commandLine = new CommandLine(root);
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (e instanceof dev.flotilla.cli.console.UserException user) {
        user.getMessage().lines().forEach(line -> err.println("flotilla: " + line));
        if (root.verbose) {
          e.printStackTrace(err);
        }
        return user.exitCode();
      }
      if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException) {
        // a file, the network or a value given: said in words, as a UserException is
        err.println("flotilla: " + Failures.describe(e));
        if (root.verbose) {
          e.printStackTrace(err);
        }
        return FAILURE;
      }
      err.println("flotilla: " + e);
      if (root.verbose) {
        e.printStackTrace(err);
      } else {
        err.println("run again with --verbose for details");
      }
      return FAILURE;
    });
    usage(commandLine);
    commandLine.setParameterExceptionHandler((e, args) -> {
      var err = e.getCommandLine().getErr();
      err.println("flotilla: " + e.getMessage());
      err.println("see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
      return USAGE;
    });
    return commandLine;
  }

  /** The commands whose exit code 3 means "differences found". */
  private static final java.util.Set<String> DIFFERENCES_FOUND = java.util.Set.of("flotilla plan",
      "flotilla artifact verify", "flotilla release verify", "flotilla receipts verify");

  /** Every command's --help lists its exit codes, the same everywhere. */
  private static void usage(CommandLine commandLine) {
    var codes = new java.util.LinkedHashMap<String, String>();
    codes.put("0", "ok");
    codes.put("1", "failure (one line on stderr says why; --verbose adds the trace)");
    codes.put("2", "usage error");
    if (DIFFERENCES_FOUND.contains(commandLine.getCommandSpec().qualifiedName())) {
      codes.put("3", "differences found");
    }
    commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    commandLine.getSubcommands().values().forEach(Flotilla::usage);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"flotilla " + BuildInfo.current().describe()};
    }
  }
}
