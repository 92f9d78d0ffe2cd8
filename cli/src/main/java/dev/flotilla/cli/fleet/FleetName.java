package dev.flotilla.cli.fleet;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The fleet's name from fleet.yaml of a checkout, read without the whole loader. */
public final class FleetName {
  private static final Pattern NAME = Pattern.compile("(?m)^metadata:\\s*\\n(?:[ \\t]+.*\\n)*?[ \\t]+name:\\s*([a-z0-9-]+)");

  private FleetName() {}

  public static String of(Path repo) throws IOException {
    var file = repo.resolve("fleet.yaml");
    if (!Files.exists(file)) {
      throw new UserException(ExitCodes.FAILURE, "read '" + file + "': no fleet.yaml; is '" + repo
          + "' a fleet repo?");
    }
    var matcher = NAME.matcher(Files.readString(file));
    if (!matcher.find()) {
      throw new UserException(ExitCodes.FAILURE, "read '" + file + "': no metadata.name");
    }
    return matcher.group(1);
  }
}
