package dev.flotilla.agent.telemetry;

import dev.flotilla.agent.telemetry.HostSample.Filesystem;
import dev.flotilla.agent.telemetry.HostSample.Pressure;
import dev.flotilla.agent.telemetry.HostSample.Thermal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a {@link HostSample} from a procfs root and a sysfs root ({@code /proc} and {@code /sys} on a device, fixture
 * trees in tests). Read-only. Parts the kernel lacks are left empty; a file that exists but cannot be parsed throws
 * an {@link IOException} naming it.
 */
public final class HostReader {
  /** At most this many filesystems are reported: a device with more is unusual, and the series stay bounded. */
  static final int MAX_FILESYSTEMS = 16;
  private static final List<String> PRESSURE = List.of("cpu", "memory", "io");
  private final Path proc;
  private final Path sys;
  private final DiskSpace disks;

  public HostReader(Path proc, Path sys, DiskSpace disks) {
    this.proc = proc;
    this.sys = sys;
    this.disks = disks;
  }

  /** Reads every part of the host once. */
  public HostSample read() throws IOException {
    var stat = read(proc.resolve("stat"));
    var vmstat = optional(proc.resolve("vmstat"));
    try {
      return new HostSample(ProcFormats.cpuSeconds(stat), ProcFormats.memory(read(proc.resolve("meminfo"))),
          ProcFormats.load(read(proc.resolve("loadavg"))), pressure(), thermal(),
          ProcFormats.uptime(read(proc.resolve("uptime"))), ProcFormats.bootTime(stat),
          vmstat == null ? null : ProcFormats.oomKills(vmstat), filesystems());
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IOException("read host telemetry under '" + proc + "': unexpected format (" + e.getMessage() + ")", e);
    }
  }

  private Map<String, Pressure> pressure() throws IOException {
    var out = new LinkedHashMap<String, Pressure>();
    for (var resource : PRESSURE) {
      String text;
      try {
        text = optional(proc.resolve("pressure").resolve(resource));
      } catch (IOException e) {
        continue; // PSI compiled in but off (psi=0): the files exist and refuse reads
      }
      if (text != null) {
        out.put(resource, ProcFormats.pressure(text));
      }
    }
    return out;
  }

  /** Every {@code thermal_zone*} with a readable temperature (millidegrees Celsius), by zone name. */
  private List<Thermal> thermal() throws IOException {
    var dir = sys.resolve("class/thermal");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var out = new ArrayList<Thermal>();
    try (Stream<Path> zones = Files.list(dir)) {
      for (var zone : zones.filter(z -> z.getFileName().toString().startsWith("thermal_zone")).sorted().toList()) {
        var temp = optional(zone.resolve("temp"));
        var type = optional(zone.resolve("type"));
        if (temp != null && !temp.isBlank()) {
          out.add(new Thermal(zone.getFileName().toString(), type == null ? "" : type.strip(),
              Long.parseLong(temp.strip()) / 1000.0));
        }
      }
    } catch (IOException e) {
      return out; // a zone whose sensor errors on read (EIO, ENODATA) has no reading now
    }
    return out;
  }

  /**
   * Writable mounts of block-device filesystems ({@code /proc/filesystems} without {@code nodev}), the first mount
   * of each device only (bind mounts repeat it), at most {@link #MAX_FILESYSTEMS}. A mount that cannot be measured
   * is left out.
   */
  private List<Filesystem> filesystems() throws IOException {
    var types = ProcFormats.blockTypes(read(proc.resolve("filesystems")));
    var seen = new HashSet<String>();
    var out = new ArrayList<Filesystem>();
    for (var mount : ProcFormats.mounts(read(proc.resolve("mounts")))) {
      if (out.size() == MAX_FILESYSTEMS || mount.readOnly() || !types.contains(mount.type())
          || !seen.add(mount.device())) {
        continue;
      }
      try {
        var usage = disks.of(mount.mountPoint());
        out.add(new Filesystem(mount.mountPoint(), mount.device(), mount.type(), usage.sizeBytes(),
            usage.availableBytes()));
      } catch (IOException e) {
        // unmounted since /proc/mounts was read, or not ours to stat: nothing to report for it
      }
    }
    return out;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** The file's text, or null when it does not exist (a kernel without the feature). */
  private static String optional(Path file) throws IOException {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
