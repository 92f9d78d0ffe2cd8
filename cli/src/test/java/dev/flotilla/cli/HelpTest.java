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

/** Every command's --help renders cleanly: picocli warns on stderr about a description it cannot format. */
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

  private static List<CommandLine> all(CommandLine root) {
    var all = new ArrayList<CommandLine>(List.of(root));
    root.getSubcommands().values().forEach(sub -> all.addAll(all(sub)));
    return all;
  }
}
