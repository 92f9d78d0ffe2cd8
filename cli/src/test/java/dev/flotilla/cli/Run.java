package dev.flotilla.cli;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Runs {@code flotilla} in-process with captured output: the exit code, stdout and stderr together. The writers are
 * buffered as picocli's own are (auto-flush on {@code println} only), and what is read is what reached the stream
 * when the command returned: output a command leaves unflushed before {@code System.exit} is missing here too.
 */
record Run(int exitCode, String out, String err) {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  static Run flotilla(String... args) {
    return execute(Flotilla.commandLine(new Flotilla.Settings(HOME)), args);
  }

  /** Runs {@code commandLine} (such as {@code flotilla-agent}'s) the same way. */
  static Run execute(CommandLine commandLine, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    commandLine.setOut(buffered(out));
    commandLine.setErr(buffered(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** As picocli makes its writers for System.out and System.err. */
  static PrintWriter buffered(ByteArrayOutputStream bytes) {
    return new PrintWriter(new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8)), true);
  }
}
