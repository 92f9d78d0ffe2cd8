package dev.flotilla.agent.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A private {@code dbus-daemon --session} on a unix socket in a temp directory, for unit tests that need a real bus
 * but not a whole systemd. {@link #close()} stops it by its PID.
 */
public final class PrivateBus implements AutoCloseable {
  private final Path dir;
  private final long pid;

  private PrivateBus(Path dir, long pid) {
    this.dir = dir;
    this.pid = pid;
  }

  public static PrivateBus start() throws IOException, InterruptedException {
    var dir = Files.createTempDirectory("flotilla-dbus-");
    var process = new ProcessBuilder("dbus-daemon", "--session", "--address=unix:path=" + dir.resolve("bus"),
        "--print-pid=1", "--fork", "--nopidfile").redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0 || !output.matches("\\d+")) {
      throw new IOException("start dbus-daemon: " + output);
    }
    return new PrivateBus(dir, Long.parseLong(output));
  }

  public String address() {
    return "unix:path=" + dir.resolve("bus");
  }

  @Override
  public void close() throws IOException {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    Files.deleteIfExists(dir.resolve("bus"));
    Files.deleteIfExists(dir);
  }
}
