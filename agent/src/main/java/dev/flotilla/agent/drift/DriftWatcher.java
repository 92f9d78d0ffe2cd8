package dev.flotilla.agent.drift;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.plan.PersistSysctl;
import dev.flotilla.plan.SetSysctl;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Notices drift as it happens and tells {@code sink} which resource changed ({@code file:<path>},
 * {@code sysctl:<key>}); the agent loop then re-plans. Files through inotify (the JDK's {@link WatchService}): it
 * watches each managed file's <em>parent directory</em>, not the file, so an editor that saves by writing a new
 * file and renaming it over the old one is still seen, and a missing parent is watched through its nearest
 * existing ancestor. Sysctl by polling (procfs has no change notification): a key is reported when its value
 * differs from the desired one and from the value reported last, so a key in drift mode {@code report} is not
 * reported again on every poll.
 *
 * <p>Events are hints: the loop always re-plans from the whole state, so an event too many costs one pass that
 * finds nothing. Thread-safe; {@link #watch} may be called after every pass. A watch that cannot be set up is
 * logged and retried on the next {@link #watch}; the periodic poll still corrects that resource.
 */
public final class DriftWatcher implements AutoCloseable {
  private final HostFiles files;
  private final Sysctl sysctl;
  private final Consumer<String> sink;
  private final Consumer<String> log;
  private final WatchService service;
  private final Map<WatchKey, Map<String, Set<String>>> byKey = new HashMap<>();
  private final Thread fileThread;
  private Thread sysctlThread;
  private Map<String, String> desiredSysctl = Map.of();
  private final Map<String, String> reported = new HashMap<>();
  private Duration sysctlPoll = Duration.ZERO;

  /**
   * @param sink receives the key of each resource that changed, from the watcher's threads
   * @param log receives one line per watch that cannot be set up
   * @throws IOException when the JDK cannot create an inotify instance (the per-user limit is reached)
   */
  public DriftWatcher(HostFiles files, Sysctl sysctl, Consumer<String> sink, Consumer<String> log) throws IOException {
    this.files = files;
    this.sysctl = sysctl;
    this.sink = sink;
    this.log = log;
    this.service = files.root().getFileSystem().newWatchService();
    this.fileThread = Thread.ofVirtual().name("drift-files").start(this::watchFiles);
  }

  /** Watches exactly the files and sysctl keys of {@code set} from now on, polling sysctl at its interval. */
  public synchronized void watch(WatchSet set) {
    var wanted = new HashMap<Path, Map<String, Set<String>>>();
    for (var path : new TreeSet<>(set.files())) {
      try {
        var file = hostPath(path);
        var dir = nearestDirectory(file.getParent());
        var child = dir.relativize(file).getName(0).toString();
        wanted.computeIfAbsent(dir, d -> new TreeMap<>()).computeIfAbsent(child, c -> new TreeSet<>()).add(path);
      } catch (IOException e) {
        log.accept("watch file '" + path + "': " + e.getMessage() + "; drift of it is found by the periodic pass only");
      }
    }
    byKey.keySet().removeIf(key -> {
      var keep = wanted.containsKey((Path) key.watchable());
      if (!keep) {
        key.cancel();
      }
      return !keep;
    });
    wanted.forEach(this::register);
    this.desiredSysctl = set.sysctl();
    reported.keySet().retainAll(set.sysctl().keySet());
    pollSysctl(set.sysctl().isEmpty() ? Duration.ZERO : set.sysctlPoll());
  }

  /**
   * The host path to watch: the agent's own sysctl.d file is written outside the allowed paths (through {@link
   * Sysctl}), so only the path rules other than the allowed paths apply to it.
   */
  private Path hostPath(String path) throws IOException {
    if (path.equals(PersistSysctl.PATH)) {
      return files.root().resolve(path.substring(1));
    }
    return files.resolve(path, "watch file");
  }

  private void register(Path dir, Map<String, Set<String>> children) {
    try {
      byKey.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), children);
    } catch (IOException e) {
      log.accept("watch directory '" + dir + "': " + e.getMessage() + "; drift there is found by the periodic pass only");
    }
  }

  private Path nearestDirectory(Path dir) {
    var root = files.root();
    var current = dir;
    while (current != null && current.startsWith(root) && !Files.isDirectory(current)) {
      current = current.getParent();
    }
    return current == null || !current.startsWith(root) ? root : current;
  }

  private void watchFiles() {
    try {
      while (true) {
        var key = service.take();
        var changed = new TreeSet<String>();
        synchronized (this) {
          var children = byKey.getOrDefault(key, Map.of());
          for (var event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
              children.values().forEach(changed::addAll);
            } else {
              changed.addAll(children.getOrDefault(event.context().toString(), Set.of()));
            }
          }
          key.reset();
        }
        changed.forEach(path -> sink.accept("file:" + path));
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private void pollSysctl(Duration every) {
    if (every.equals(sysctlPoll)) {
      return;
    }
    sysctlPoll = every;
    if (sysctlThread != null) {
      sysctlThread.interrupt();
      sysctlThread = null;
    }
    if (every.isPositive()) {
      sysctlThread = Thread.ofVirtual().name("drift-sysctl").start(() -> pollEvery(every));
    }
  }

  private void pollEvery(Duration every) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(every);
        checkSysctl();
      }
    } catch (InterruptedException e) {
      // stopped, or replaced by a poller with another interval
    }
  }

  /** Reads every watched key once and reports those that drifted since the last report. Visible for tests. */
  void checkSysctl() {
    Map<String, String> desired;
    synchronized (this) {
      desired = desiredSysctl;
    }
    for (var entry : new TreeMap<>(desired).entrySet()) {
      var key = entry.getKey();
      String have;
      try {
        have = SetSysctl.normalise(sysctl.read(key).orElse(null));
      } catch (IOException e) {
        continue; // the pass reports a key that cannot be read
      }
      if (changedSinceReport(key, SetSysctl.normalise(entry.getValue()), have)) {
        sink.accept("sysctl:" + key);
      }
    }
  }

  private synchronized boolean changedSinceReport(String key, String want, String have) {
    if (have == null || have.equals(want)) {
      reported.remove(key);
      return false;
    }
    return !have.equals(reported.put(key, have));
  }

  @Override
  public synchronized void close() throws IOException {
    pollSysctl(Duration.ZERO);
    service.close();
    fileThread.interrupt();
  }
}
