package dev.flotilla.agent.identity;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.SystemIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads this machine's identity under a host root and a procfs root, so tests can point it at a temp dir.
 *
 * <p>The identity hash is {@code sha256("linux:" + machine-id)}; every bundle is bound to it. Reads only; throws
 * {@link IOException} with a message that names the file and the fix when the machine-id is missing or malformed.
 */
public final class IdentityReader {
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern UUID = Pattern.compile("[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}");

  private final Path hostRoot;
  private final Path procRoot;

  public IdentityReader(Path hostRoot, Path procRoot) {
    this.hostRoot = hostRoot;
    this.procRoot = procRoot;
  }

  public SystemIdentity read() throws IOException {
    var identity = new SystemIdentity();
    var machineId = machineId();
    identity.setMachineId(machineId);
    identity.setIdentityHash(hash(machineId));
    optional(hostRoot.resolve("sys/class/dmi/id/product_uuid"))
        .filter(uuid -> UUID.matcher(uuid).matches())
        .ifPresent(identity::setDmiProductUuid);
    optional(hostRoot.resolve("etc/hostname")).ifPresent(identity::setHostname);
    optional(hostRoot.resolve("etc/os-release")).map(IdentityReader::prettyName).ifPresent(identity::setOs);
    optional(procRoot.resolve("sys/kernel/osrelease")).ifPresent(identity::setKernel);
    identity.setArchitecture(architecture(System.getProperty("os.arch")));
    return identity;
  }

  /** {@code sha256:} and the hex sha256 of {@code linux:<machine-id>}. Pure. */
  public static String hash(String machineId) {
    return Digest.sha256(("linux:" + machineId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private String machineId() throws IOException {
    var file = hostRoot.resolve("etc/machine-id");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new IOException("read machine id '" + file + "': no such file; run 'systemd-machine-id-setup'");
    }
    if (!MACHINE_ID.matcher(text).matches()) {
      throw new IOException("read machine id '" + file + "': not 32 lowercase hex digits; "
          + "run 'systemd-machine-id-setup' to make a new one");
    }
    return text;
  }

  private static java.util.Optional<String> optional(Path file) {
    try {
      var text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(text);
    } catch (IOException e) {
      // Optional facts: a container or a VM without DMI simply has none.
      return java.util.Optional.empty();
    }
  }

  static String prettyName(String osRelease) {
    for (var line : osRelease.split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        return line.substring("PRETTY_NAME=".length()).replaceAll("^\"|\"$", "");
      }
    }
    return null;
  }

  static String architecture(String javaArch) {
    return switch (javaArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> javaArch;
    };
  }
}
