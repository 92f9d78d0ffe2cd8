package dev.flotilla.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs {@code flotilla} in-process with captured output: the exit code, stdout and stderr together. */
record Run(int exitCode, String out, String err) {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  static Run flotilla(String... args) {
    return execute(Flotilla.commandLine(new Flotilla.Settings(HOME)), args);
  }

  /** Runs {@code commandLine} (such as {@code flotilla-agent}'s) the same way. */
  static Run execute(CommandLine commandLine, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
