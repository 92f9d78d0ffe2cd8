package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.build.BuildInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} works on every command of {@code flotilla-agent} and lists the exit codes; --version is stamped. */
class AgentHelpTest {
  @Test
  void helpRunsOnEveryCommandAndListsItsExitCodes() {
    var names = all(FlotillaAgent.commandLine()).stream().map(c -> c.getCommandSpec().qualifiedName()).toList();
    for (var name : names) {
      var words = List.of(name.split(" "));
      var args = new ArrayList<>(words.subList(1, words.size()));
      args.add("--help");

      var run = FlotillaAgentTest.agent(args.toArray(String[]::new));

      assertThat(run.exitCode()).as(name + " --help").isZero();
      assertThat(run.err()).as(name + " --help stderr").isEmpty();
      assertThat(run.out()).as(name + " --help").startsWith("Usage: " + name)
          .contains("Exit codes:", "  0   ok", "  2   usage error");
    }
    assertThat(names).contains("flotilla-agent status", "flotilla-agent claim", "flotilla-agent check-config");
    assertThat(FlotillaAgentTest.agent("plan", "--help").out()).contains("  3   changes found");
  }

  @Test
  void versionIsTheStampedBuild() {
    var run = FlotillaAgentTest.agent("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("flotilla-agent " + BuildInfo.current().version() + " (commit "
        + BuildInfo.current().commit() + ")\n");
    assertThat(BuildInfo.current().version()).isEqualTo(System.getProperty("flotilla.expectedVersion"));
  }

  private static List<CommandLine> all(CommandLine root) {
    var all = new ArrayList<CommandLine>(List.of(root));
    root.getSubcommands().values().forEach(sub -> all.addAll(all(sub)));
    return all;
  }
}
