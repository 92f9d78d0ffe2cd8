package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help works and renders cleanly: picocli warns on stderr about a description it cannot format. */
class HelpTest {
  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    var warnings = new ByteArrayOutputStream();
    var stderr = System.err;
    var helps = new ArrayList<String>();
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      for (var command : all(Flotilla.commandLine(new Flotilla.Settings(Run.HOME)))) {
        var help = new StringWriter();
        command.usage(new PrintWriter(help, true));
        helps.add(help.toString());
      }
    } finally {
      System.setErr(stderr);
    }

    assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli");
    assertThat(helps).hasSizeGreaterThan(20).allMatch(help -> help.startsWith("Usage: flotilla"));
  }

  @Test
  void helpRunsOnEveryCommandAndListsItsExitCodes() {
    var names = all(Flotilla.commandLine(new Flotilla.Settings(Run.HOME))).stream()
        .map(c -> c.getCommandSpec().qualifiedName()).toList();
    for (var name : names) {
      var args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
      args.add("--help");

      var run = Run.flotilla(args.toArray(String[]::new));

      assertThat(run.exitCode()).as(name + " --help").isZero();
      assertThat(run.err()).as(name + " --help stderr").isEmpty();
      assertThat(run.out()).as(name + " --help").startsWith("Usage: " + name)
          .contains("Exit codes:", "  0   ok", "  2   usage error");
    }
    assertThat(names).contains("flotilla artifact add", "flotilla completion");
  }

  @Test
  void artifactAddKeepsItsVersionOption() {
    var run = Run.flotilla("artifact", "add", "--help");

    assertThat(run.out()).contains("--version=<version>").doesNotContain("-V, --version");
  }

  @Test
  void differencesFoundIsListedWhereACommandExitsWithIt() {
    assertThat(Run.flotilla("plan", "--help").out()).contains("  3   differences found");
    assertThat(Run.flotilla("artifact", "verify", "--help").out()).contains("  3   differences found");
    assertThat(Run.flotilla("validate", "--help").out()).doesNotContain("  3   ")
        .contains("  1   failure (one line on stderr says why; --verbose adds the trace)");
  }

  static List<CommandLine> all(CommandLine root) {
    var all = new ArrayList<CommandLine>(List.of(root));
    root.getSubcommands().values().forEach(sub -> all.addAll(all(sub)));
    return all;
  }
}
