package dev.flotilla.agent.telemetry;

import dev.flotilla.agent.telemetry.HostSample.Memory;
import dev.flotilla.agent.telemetry.HostSample.Pressure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parsers of the procfs files the host telemetry reads, text in, values out. Pure; a line it does not know is
 * skipped, and a malformed number throws {@link NumberFormatException} (the reader names the file).
 */
final class ProcFormats {
  /** The kernel's clock ticks per second for {@code /proc/stat} ({@code USER_HZ}), 100 on every Linux ABI. */
  static final double USER_HZ = 100;
  private static final List<String> CPU_MODES =
      List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal");

  /** A mount of {@code /proc/mounts}. */
  record Mount(String device, String mountPoint, String type, boolean readOnly) {}

  private ProcFormats() {}

  /** CPU seconds by mode from the aggregate {@code cpu} line of {@code /proc/stat}. */
  static Map<String, Double> cpuSeconds(String stat) {
    var out = new LinkedHashMap<String, Double>();
    for (var line : stat.split("\n")) {
      if (line.startsWith("cpu ")) {
        var fields = line.trim().split("\\s+");
        for (int i = 0; i < CPU_MODES.size() && i + 1 < fields.length; i++) {
          out.put(CPU_MODES.get(i), Long.parseLong(fields[i + 1]) / USER_HZ);
        }
      }
    }
    return out;
  }

  /** The {@code btime} line of {@code /proc/stat}: boot time in seconds since the epoch; 0 when absent. */
  static long bootTime(String stat) {
    return field(stat, "btime").map(Long::parseLong).orElse(0L);
  }

  /** {@code MemTotal} and {@code MemAvailable} of {@code /proc/meminfo}, in bytes. */
  static Memory memory(String meminfo) {
    return new Memory(kib(meminfo, "MemTotal:"), kib(meminfo, "MemAvailable:"));
  }

  /** The three load averages of {@code /proc/loadavg}. */
  static double[] load(String loadavg) {
    var fields = loadavg.trim().split("\\s+");
    return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2])};
  }

  /** Seconds since boot, the first number of {@code /proc/uptime}. */
  static double uptime(String uptime) {
    return Double.parseDouble(uptime.trim().split("\\s+")[0]);
  }

  /** The {@code oom_kill} counter of {@code /proc/vmstat}; null on kernels without it. */
  static Long oomKills(String vmstat) {
    return field(vmstat, "oom_kill").map(Long::valueOf).orElse(null);
  }

  /** The {@code some} line of a {@code /proc/pressure/*} file. */
  static Pressure pressure(String psi) {
    for (var line : psi.split("\n")) {
      if (line.startsWith("some ")) {
        var values = new LinkedHashMap<String, String>();
        for (var pair : line.substring(5).trim().split("\\s+")) {
          var eq = pair.indexOf('=');
          values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new Pressure(Double.parseDouble(values.get("avg10")), Double.parseDouble(values.get("avg60")),
            Long.parseLong(values.get("total")) / 1e6);
      }
    }
    throw new NumberFormatException("no 'some' line");
  }

  /** The filesystem types of {@code /proc/filesystems} that need a block device (not marked {@code nodev}). */
  static Set<String> blockTypes(String filesystems) {
    var out = new TreeSet<String>();
    for (var line : filesystems.split("\n")) {
      if (!line.isBlank() && !line.startsWith("nodev")) {
        out.add(line.trim());
      }
    }
    return out;
  }

  /** The mounts of {@code /proc/mounts}, in order, with octal escapes ({@code \040} for a space) decoded. */
  static List<Mount> mounts(String mounts) {
    var out = new ArrayList<Mount>();
    for (var line : mounts.split("\n")) {
      var fields = line.trim().split("\\s+");
      if (fields.length >= 4) {
        out.add(new Mount(unescape(fields[0]), unescape(fields[1]), fields[2],
            List.of(fields[3].split(",")).contains("ro")));
      }
    }
    return out;
  }

  private static String unescape(String field) {
    var out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      var c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static long kib(String meminfo, String key) {
    return field(meminfo, key).map(v -> Long.parseLong(v) * 1024).orElse(0L);
  }

  /** The first value after {@code key} at the start of a line. */
  private static java.util.Optional<String> field(String text, String key) {
    for (var line : text.split("\n")) {
      var fields = line.trim().split("\\s+");
      if (fields.length >= 2 && fields[0].equals(key)) {
        return java.util.Optional.of(fields[1]);
      }
    }
    return java.util.Optional.empty();
  }
}
