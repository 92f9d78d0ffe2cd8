package dev.flotilla.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code flotilla device cordon ID}: no rollout wave picks the device until it is uncordoned. */
@Command(name = "cordon", mixinStandardHelpOptions = true, description = "Keep rollouts away from device ID.")
final class DeviceCordonCommand extends DeviceEdit {
  @Override
  public Integer call() throws IOException {
    return edit("cordon", e -> e.set("spec.cordoned", true));
  }
}
