package dev.flotilla.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code flotilla device keygen|describe|cordon|uncordon|remove|drain}: work with one device. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Work with one device.",
    subcommands = {DeviceKeygenCommand.class, DeviceDescribeCommand.class, DeviceCordonCommand.class,
        DeviceUncordonCommand.class, DeviceRemoveCommand.class, DeviceDrainCommand.class})
final class DeviceCommand {
  /** "key id 0123456789abcdef" of the Device file's {@code spec.publicKey}, or null when it has none. */
  static String existingKeyId(String yaml) throws IOException {
    var pem = new YAMLMapper().readTree(yaml).path("spec").path("publicKey");
    if (!pem.isTextual() || pem.asText().isBlank()) {
      return null;
    }
    try {
      return "key id " + Keys.keyId(Keys.parsePublicPem(pem.asText())).substring(0, 16);
    } catch (IllegalArgumentException e) {
      return "not a readable key";
    }
  }
}
