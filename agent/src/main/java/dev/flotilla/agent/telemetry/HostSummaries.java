package dev.flotilla.agent.telemetry;

import dev.flotilla.model.FilesystemSummary;
import dev.flotilla.model.HostSummary;
import dev.flotilla.model.PressureSummary;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The coarse summary of a sample that status reports carry: rounded so that a steady host gives the same summary
 * from one minute to the next (CPU in steps of 5%, memory and disk space to 1% of their size, load to a tenth,
 * pressure and temperature whole). Pure.
 */
final class HostSummaries {
  private HostSummaries() {}

  /** The summary of {@code sample}, with the CPU busy share since {@code previous} (none when it is null). */
  static HostSummary of(HostSample sample, HostSample previous) {
    var summary = new HostSummary();
    if (previous != null) {
      var busy = sample.busySince(previous);
      if (!Double.isNaN(busy)) {
        summary.setCpuBusyPercent((long) (Math.round(busy * 20) * 5));
      }
    }
    summary.setLoad1(Math.round(sample.load()[0] * 10) / 10.0);
    var memory = sample.memory();
    summary.setMemoryTotalBytes(memory.totalBytes());
    summary.setMemoryAvailableBytes(toPercentOf(memory.availableBytes(), memory.totalBytes()));
    if (!sample.pressure().isEmpty()) {
      var pressure = new PressureSummary();
      var p = sample.pressure();
      pressure.setCpu(p.containsKey("cpu") ? (double) Math.round(p.get("cpu").avg60()) : null);
      pressure.setMemory(p.containsKey("memory") ? (double) Math.round(p.get("memory").avg60()) : null);
      pressure.setIo(p.containsKey("io") ? (double) Math.round(p.get("io").avg60()) : null);
      summary.setPressure(pressure);
    }
    sample.thermal().stream().mapToDouble(HostSample.Thermal::celsius).max()
        .ifPresent(hottest -> summary.setTemperatureCelsius((double) Math.round(hottest)));
    if (sample.bootTime() > 0) {
      summary.setBootTime(Instant.ofEpochSecond(sample.bootTime()).atOffset(ZoneOffset.UTC));
    }
    summary.setOomKills(sample.oomKills());
    summary.setFilesystems(sample.filesystems().stream().map(HostSummaries::filesystem).toList());
    return summary;
  }

  private static FilesystemSummary filesystem(HostSample.Filesystem fs) {
    var out = new FilesystemSummary();
    out.setMountPoint(fs.mountPoint().length() > 256 ? fs.mountPoint().substring(0, 256) : fs.mountPoint());
    out.setSizeBytes(fs.sizeBytes());
    out.setAvailableBytes(toPercentOf(fs.availableBytes(), fs.sizeBytes()));
    return out;
  }

  /** {@code value} rounded to the nearest 1% of {@code whole}. */
  static long toPercentOf(long value, long whole) {
    var step = Math.max(1, whole / 100);
    return Math.round((double) value / step) * step;
  }
}
