package dev.flotilla.agent.rig;

import dev.flotilla.agent.host.apps.AppStore;
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
  private long pid;

  private PrivateBus(Path dir, long pid) {
    this.dir = dir;
    this.pid = pid;
  }

  public static PrivateBus start() throws IOException, InterruptedException {
    var dir = Files.createTempDirectory("flotilla-dbus-");
    return new PrivateBus(dir, daemon(dir));
  }

  /** Kills the daemon (every connection to it breaks) and starts a new one on the same address. */
  public void restart() throws IOException, InterruptedException {
    stop();
    pid = daemon(dir);
  }

  private static long daemon(Path dir) throws IOException, InterruptedException {
    var process = new ProcessBuilder("dbus-daemon", "--session", "--address=unix:path=" + dir.resolve("bus"),
        "--print-pid=1", "--fork", "--nopidfile").redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0 || !output.matches("\\d+")) {
      throw new IOException("start dbus-daemon: " + output);
    }
    return Long.parseLong(output);
  }

  private void stop() throws IOException {
    var daemon = ProcessHandle.of(pid);
    daemon.ifPresent(ProcessHandle::destroyForcibly);
    daemon.ifPresent(p -> p.onExit().join());
    Files.deleteIfExists(dir.resolve("bus"));
  }

  public String address() {
    return "unix:path=" + dir.resolve("bus");
  }

  /** Stops the daemon and removes its directory with all it holds; throws when it cannot. */
  @Override
  public void close() throws IOException {
    stop();
    AppStore.deleteTree(dir);
  }
}
