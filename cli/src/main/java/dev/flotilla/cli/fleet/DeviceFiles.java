package dev.flotilla.cli.fleet;

import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.cli.console.ExitCodes;
import dev.flotilla.cli.console.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Device files of a fleet checkout on disk: finding one by device name, and setting its public key in place. */
public final class DeviceFiles {
  private DeviceFiles() {}

  /** The file {@code DEVICE.yaml} in the first tenant of {@code repo} whose devices have it, or a one-line error. */
  public static Path find(Path repo, String device) throws IOException {
    var tenants = repo.resolve("tenants");
    if (Files.isDirectory(tenants)) {
      try (Stream<Path> dirs = Files.list(tenants)) {
        for (var tenant : dirs.sorted().toList()) {
          var file = tenant.resolve("devices").resolve(device + ".yaml");
          if (Files.isRegularFile(file)) {
            return file;
          }
        }
      }
    }
    throw new UserException(ExitCodes.FAILURE, "find device '" + device + "': no tenants/*/devices/"
        + device + ".yaml under '" + repo + "'");
  }

  /**
   * The Device file's text with {@code spec.publicKey} set to {@code pem}: an existing block is replaced, else
   * one is added right under {@code spec:}. Every other line stays as it was, comments included.
   */
  public static String withPublicKey(String yaml, String pem) {
    try {
      return YamlEdit.of(yaml).set("spec.publicKey", pem).text();
    } catch (IllegalArgumentException e) {
      throw new UserException(ExitCodes.FAILURE, "edit Device file: " + e.getMessage());
    }
  }

}
