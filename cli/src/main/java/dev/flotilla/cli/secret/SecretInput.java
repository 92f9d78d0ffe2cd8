package dev.flotilla.cli.secret;

import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.cli.console.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code secret seal} and {@code reseal} read the value: {@code --from-file F}, else standard input. At most
 * 1 MiB (a file's content limit); never echoed, never in a message.
 */
public final class SecretInput {
  static final int MAX_BYTES = 1 << 20;

  @Option(names = "--from-file", paramLabel = "F", description = "Read the value from F (default: standard input).")
  Path file;

  /** The value's bytes; {@code stdin} is read only without {@code --from-file}. */
  public byte[] read(String action, InputStream stdin) throws IOException {
    byte[] value;
    try (var in = file != null ? Files.newInputStream(file) : stdin) {
      value = in.readNBytes(MAX_BYTES + 1);
    }
    var from = file != null ? "'" + file + "'" : "standard input";
    if (value.length == 0) {
      throw new UserException(ExitCodes.USAGE, action + ": " + from + " is empty; pipe the value in or pass"
          + " --from-file F");
    }
    if (value.length > MAX_BYTES) {
      throw new UserException(ExitCodes.USAGE, action + ": " + from + " holds more than 1 MiB, the limit of a"
          + " file's content");
    }
    return value;
  }
}
