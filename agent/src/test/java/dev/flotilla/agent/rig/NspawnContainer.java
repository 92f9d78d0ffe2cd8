package dev.flotilla.agent.rig;

import dev.flotilla.agent.host.apps.AppStore;
import dev.flotilla.io.Failures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd in a {@code systemd-nspawn} container, for ITs: booted from one cached Debian rootfs (built once by
 * {@code src/test/rig/build-rootfs.sh}, ~80 s) with {@code --read-only --volatile=overlay}, so any number boot from
 * it side by side and leave nothing behind. Each gives its system bus address on the host ({@link #busAddress()})
 * and its root as the agent sees it ({@link #hostRoot()}, {@code /proc/<leader>/root}). {@link #close()} stops it
 * and removes its bus directory and log from the temp directory; a JVM shutdown hook closes any still running.
 * Needs root and the Debian packages systemd-container, debootstrap.
 *
 * <pre>{@code
 * try (var containers = NspawnContainer.boot("dut", 10)) { ... containers.get(3).busAddress() ... }
 * }</pre>
 */
public final class NspawnContainer implements AutoCloseable {
  /** Where the rootfs is cached; {@code -Dflotilla.rootfs=…} overrides it. */
  public static final Path ROOTFS = Path.of(System.getProperty("flotilla.rootfs", "/var/cache/flotilla-test/rootfs"));
  private static final Set<NspawnContainer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(container -> {
      try {
        container.close();
      } catch (UncheckedIOException e) {
        System.err.println(e.getMessage());
      }
    })));
  }

  private final String name;
  private final Process nspawn;
  private final Path busDir;
  private final long leader;

  private NspawnContainer(String name, Process nspawn, Path busDir, long leader) {
    this.name = name;
    this.nspawn = nspawn;
    this.busDir = busDir;
    this.leader = leader;
  }

  /** Boots one container named {@code name} and waits until its systemd is running. */
  public static NspawnContainer boot(String name) throws IOException, InterruptedException {
    return boot(name, List.of("--private-network"));
  }

  /**
   * As {@link #boot(String)}, but in the host's network namespace: the container's loopback is the host's, so an
   * agent inside reaches a reconciler the test runs on 127.0.0.1. Its {@code /proc/sys} stays read-only (nspawn
   * mounts it so), so nothing inside can change the host's kernel parameters.
   */
  public static NspawnContainer bootOnHostNetwork(String name) throws IOException, InterruptedException {
    return boot(name, List.of());
  }

  private static NspawnContainer boot(String name, List<String> network) throws IOException, InterruptedException {
    ensureRootfs();
    var busDir = Files.createTempDirectory("flotilla-bus-" + name + "-");
    var log = logOf(busDir);
    // The machine name is unique to this JVM: test runs side by side on one host that boot the same name share
    // nspawn's /run/systemd/nspawn/propagate/<machine> (seen: an AppsIT job hung while another run's container of
    // that name stopped).
    var machine = name + "-" + ProcessHandle.current().pid();
    var argv = new ArrayList<>(List.of("systemd-nspawn", "-q", "-D", ROOTFS.toString(), "-M", machine, "--boot",
        "--register=no", "--keep-unit", "--read-only", "--volatile=overlay"));
    argv.addAll(network);
    argv.addAll(List.of("--bind=" + busDir + ":/run/dbus", "--console=read-only"));
    var process = new ProcessBuilder(argv)
        .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    var container = new NspawnContainer(name, process, busDir, leaderOf(process));
    RUNNING.add(container);
    try {
      container.awaitRunning(log);
      return container;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        container.close();
      } catch (UncheckedIOException leftover) {
        e.addSuppressed(leftover);
      }
      throw e;
    }
  }

  /** Boots {@code count} containers named {@code prefix1} … in parallel; all or none. */
  public static Group boot(String prefix, int count) throws IOException, InterruptedException {
    ensureRootfs();
    var containers = new ArrayList<NspawnContainer>();
    var threads = new ArrayList<Thread>();
    var errors = new ArrayList<Exception>();
    for (int i = 1; i <= count; i++) {
      var name = prefix + i;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          var c = boot(name);
          synchronized (containers) {
            containers.add(c);
          }
        } catch (IOException | InterruptedException e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      }));
    }
    for (var t : threads) {
      t.join();
    }
    containers.sort(java.util.Comparator.comparing(NspawnContainer::name));
    var group = new Group(List.copyOf(containers));
    if (!errors.isEmpty()) {
      group.close();
      throw new IOException("boot " + count + " containers: " + errors.get(0).getMessage(), errors.get(0));
    }
    return group;
  }

  /** Containers booted together, stopped together. */
  public record Group(List<NspawnContainer> containers) implements AutoCloseable {
    public NspawnContainer get(int index) {
      return containers.get(index);
    }

    /** Closes every container, then throws the first failure to remove files (the others suppressed in it). */
    @Override
    public void close() {
      UncheckedIOException failed = null;
      for (var container : containers) {
        try {
          container.close();
        } catch (UncheckedIOException e) {
          if (failed == null) {
            failed = e;
          } else {
            failed.addSuppressed(e);
          }
        }
      }
      if (failed != null) {
        throw failed;
      }
    }
  }

  /** Builds the rootfs once, with the script beside the tests. */
  public static synchronized void ensureRootfs() throws IOException, InterruptedException {
    if (Files.exists(ROOTFS.resolve(".flotilla-rootfs-complete"))) {
      return;
    }
    var script = Path.of("src/test/rig/build-rootfs.sh").toAbsolutePath();
    var result = run(List.of("bash", script.toString(), ROOTFS.toString()));
    if (result.exit() != 0) {
      throw new IOException("build the test rootfs with '" + script + "': " + result.output());
    }
  }

  public String name() {
    return name;
  }

  /** The container's system bus as the host reaches it. */
  public String busAddress() {
    return "unix:path=" + busDir.resolve("system_bus_socket");
  }

  /** The container's root file system as the host reaches it. */
  public Path hostRoot() {
    return Path.of("/proc/" + leader + "/root");
  }

  /** The container's PID 1, as the host numbers it. */
  public long leader() {
    return leader;
  }

  /** Runs a command inside the container (all its namespaces) and waits for it. */
  public Result exec(String... command) throws IOException, InterruptedException {
    var argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a"));
    argv.addAll(List.of(command));
    return run(argv);
  }

  /** A command's exit code and its output (stdout and stderr together). */
  public record Result(int exit, String output) {}

  private static Result run(List<String> argv) throws IOException, InterruptedException {
    var process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  private void awaitRunning(Path log) throws IOException, InterruptedException {
    while (true) {
      if (!nspawn.isAlive()) {
        throw new IOException("boot container '" + name + "': systemd-nspawn exited " + nspawn.exitValue() + ": "
            + Files.readString(log));
      }
      if (Files.exists(busDir.resolve("system_bus_socket"))) {
        var state = run(List.of("busctl", "--address=" + busAddress(), "get-property", "org.freedesktop.systemd1",
            "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "SystemState")).output();
        if (state.contains("\"running\"") || state.contains("\"degraded\"")) {
          return;
        }
      }
      Thread.sleep(50);
    }
  }

  /** The container's PID 1: the descendant of systemd-nspawn that is PID 1 in its own PID namespace. */
  private static long leaderOf(Process nspawn) throws IOException, InterruptedException {
    while (nspawn.isAlive()) {
      for (var child : nspawn.descendants().toList()) {
        var status = Path.of("/proc/" + child.pid() + "/status");
        try {
          var nsPid = Files.readAllLines(status).stream().filter(l -> l.startsWith("NSpid:")).findFirst().orElse("");
          if (nsPid.matches("NSpid:\\s+\\d+\\s+1")) {
            return child.pid();
          }
        } catch (IOException gone) {
          // the process ended between listing and reading; look again
        }
      }
      Thread.sleep(20);
    }
    throw new IOException("boot container: systemd-nspawn exited " + nspawn.exitValue() + " before its init ran");
  }

  private void stop() {
    nspawn.destroy(); // SIGTERM: nspawn shuts the container down cleanly
    try {
      if (!nspawn.waitFor(20, TimeUnit.SECONDS)) {
        nspawn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      nspawn.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path logOf(Path busDir) {
    return busDir.resolveSibling(busDir.getFileName() + ".log");
  }

  /**
   * Stops the container, then removes its bus directory (with what dbus made in it, such as {@code containers/})
   * and its log. Throws when they cannot be removed, naming them.
   */
  @Override
  public void close() {
    stop();
    RUNNING.remove(this);
    try {
      AppStore.deleteTree(busDir);
      Files.deleteIfExists(logOf(busDir));
    } catch (IOException e) {
      throw new UncheckedIOException("remove the files of container '" + name + "' (" + busDir + " and its log): "
          + Failures.describe(e), e);
    }
  }
}
