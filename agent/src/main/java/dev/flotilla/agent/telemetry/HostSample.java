package dev.flotilla.agent.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One reading of the host, as the kernel reports it. Parts the kernel does not offer are empty (no
 * {@code /proc/pressure} before Linux 4.20 or without PSI, no thermal zones in most virtual machines) or, for
 * {@code oomKills}, null (no {@code oom_kill} line before Linux 4.13).
 *
 * @param cpuSeconds CPU time since boot by mode (user, nice, system, idle, iowait, irq, softirq, steal), all CPUs
 * @param load load averages over 1, 5 and 15 minutes
 * @param pressure PSI by resource (cpu, memory, io): the "some" line
 * @param bootTime seconds since the epoch
 */
public record HostSample(Map<String, Double> cpuSeconds, Memory memory, double[] load,
    Map<String, Pressure> pressure, List<Thermal> thermal, double uptimeSeconds, long bootTime, Long oomKills,
    List<Filesystem> filesystems) {

  /** Memory in bytes: total, and what is available to start new work without swapping ({@code MemAvailable}). */
  public record Memory(long totalBytes, long availableBytes) {}

  /** Share of time some task stalled on a resource, averaged over 10 and 60 s (percent), and in all (seconds). */
  public record Pressure(double avg10, double avg60, double totalSeconds) {}

  /** A thermal zone of {@code /sys/class/thermal}: its name, its type as the driver says it, and its reading. */
  public record Thermal(String zone, String type, double celsius) {}

  /** A mounted real filesystem and its space: size and what unprivileged users may still use. */
  public record Filesystem(String mountPoint, String device, String type, long sizeBytes, long availableBytes) {}

  /** The share of CPU time not idle between {@code earlier} and this sample, 0 to 1; NaN with no time between. */
  public double busySince(HostSample earlier) {
    double total = 0;
    double idle = 0;
    for (var mode : cpuSeconds.entrySet()) {
      var delta = mode.getValue() - earlier.cpuSeconds.getOrDefault(mode.getKey(), 0.0);
      total += delta;
      if (mode.getKey().equals("idle") || mode.getKey().equals("iowait")) {
        idle += delta;
      }
    }
    return total <= 0 ? Double.NaN : (total - idle) / total;
  }
}
