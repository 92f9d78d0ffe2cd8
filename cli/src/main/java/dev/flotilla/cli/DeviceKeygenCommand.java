package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.fleet.DeviceFiles;
import dev.flotilla.cli.fleet.DeviceKeyFiles;
import dev.flotilla.trust.Keys;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.fleet.DirectoryTree;
import java.io.IOException;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla device keygen DEVICE}: a device key pair, its public half written into the Device file. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Make a key pair for DEVICE, write it to --out and its public key into the Device file.")
final class DeviceKeygenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DEVICE")
  String device;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Where to write DEVICE.pem (0600) and DEVICE.pub.pem, to copy onto the device; outside the repo.")
  Path out;

  @Option(names = "--force",
      description = "Replace the public key the Device file has; the device must then use the new key.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    var file = DeviceFiles.find(repo, device);
    var yaml = Files.readString(file);
    var oldKey = DeviceCommand.existingKeyId(yaml);
    if (oldKey != null && !force) {
      throw new UserException(Flotilla.FAILURE, "device '" + device + "' already has a public key ("
          + oldKey + "); pass --force to replace it (the device must then use the new key)");
    }
    var files = DeviceKeyFiles.in(out, repo, device);
    var pair = Keys.generate();
    var edited = DeviceFiles.withPublicKey(yaml, Keys.publicPem(pair.getPublic()));
    new FleetEdit("write the key of device '" + device + "'", Map.of(repo.relativize(file).toString(), edited))
        .refuseNewErrors(new DirectoryTree(repo));
    files.write(pair);
    Files.writeString(file, edited);
    var printed = spec.commandLine().getOut();
    if (oldKey != null) {
      printed.println("replaced the public key of device '" + device + "' (" + oldKey + ", now key id "
          + Keys.keyId(pair.getPublic()).substring(0, 16) + "); the device is refused until it uses the new key");
    }
    printed.println("wrote " + files.privateKey() + " and the public key into " + repo.relativize(file)
        + "; commit it, and put the private key at the agent's privateKey path");
    return Flotilla.OK;
  }
}
