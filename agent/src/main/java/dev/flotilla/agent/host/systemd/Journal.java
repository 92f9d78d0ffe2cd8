package dev.flotilla.agent.host.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a unit's last journal lines under a host root with {@code journalctl --root=<hostRoot> -u <unit> -n <n>
 * -o cat --no-pager}, for the status report of a failing unit. Read-only.
 */
public final class Journal {
  private final Path hostRoot;

  public Journal(Path hostRoot) {
    this.hostRoot = hostRoot;
  }

  /**
   * The unit's last {@code lines} journal lines, oldest first; empty when journalctl finds none.
   *
   * @throws IOException when journalctl cannot run or fails
   */
  public List<String> lastLines(String unit, int lines) throws IOException {
    var process = new ProcessBuilder("journalctl", "--root=" + hostRoot, "-u", unit, "-n", Integer.toString(lines),
        "-o", "cat", "--no-pager", "-q").redirectErrorStream(true).start();
    try {
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException("read journal of unit '" + unit + "': journalctl exited " + process.exitValue() + ": "
            + output.strip());
      }
      return output.lines().filter(l -> !l.isBlank()).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("read journal of unit '" + unit + "': interrupted", e);
    }
  }
}
