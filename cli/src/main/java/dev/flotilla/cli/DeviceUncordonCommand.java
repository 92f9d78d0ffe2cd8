package dev.flotilla.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code flotilla device uncordon ID}: rollouts reach the device again, and a drain is over. */
@Command(name = "uncordon", mixinStandardHelpOptions = true,
    description = "Let rollouts reach device ID again; ends a drain.")
final class DeviceUncordonCommand extends DeviceEdit {
  @Override
  public Integer call() throws IOException {
    return edit("uncordon", e -> e.remove("spec.cordoned").remove("spec.drain"));
  }
}
