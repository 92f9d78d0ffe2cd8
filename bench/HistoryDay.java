import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.GitHistory;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.api.Git;

/**
 * A day of history for a fleet, written the way the reconciler writes it, then measured:
 *
 * <ul>
 *   <li>day: DEVICES devices in 10 tenants, one change a day, five transitions per device (three receipts, offline,
 *       online) plus the commit and each tenant's rollout decisions, committed in BATCHES batches spread over the
 *       day and pushed to a bare origin; then `git gc` and the packed size; the time to rebuild the index from the
 *       branch; the last 100 events of a device from the index (median and p99 over 1,000 devices).</li>
 *   <li>load: RATE events a second for SECONDS seconds with the reconciler's batching (a commit every 5 s), and the
 *       CPU seconds and resident memory that costs this process.</li>
 * </ul>
 *
 *   java -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/HistoryDay.java OUT day DEVICES BATCHES
 *   java -cp ... bench/HistoryDay.java OUT load|idle DEVICES RATE SECONDS   (idle records nothing: the baseline)
 */
public class HistoryDay {
  static final Instant DAY = Instant.parse("2026-12-07T00:00:00Z");
  static final String BRANCH = "flotilla-status";

  /** A clock the bench moves. */
  static final class Moving extends Clock {
    volatile Instant now = DAY;

    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    public Clock withZone(ZoneId zone) {
      return this;
    }

    public Instant instant() {
      return now;
    }
  }

  public static void main(String[] args) throws Exception {
    var out = Path.of(args[0]).toAbsolutePath();
    int devices = Integer.parseInt(args[2]);
    if (args[1].equals("day")) {
      day(out.resolve("day"), devices, Integer.parseInt(args[3]));
    } else {
      load(out.resolve(args[1]), devices, args[1].equals("idle") ? 0 : Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
    }
  }

  static void day(Path dir, int devices, int batches) throws Exception {
    var origin = origin(dir);
    var events = dayOfEvents(devices);
    var clock = new Moving();
    try (var mirror = FleetRepo.mirror(dir.resolve("mirror"), origin.toString(), "main");
        var history = GitHistory.open(mirror.repository(), origin.toString(), BRANCH, dir.resolve("index.db"), clock,
            GitHistory.Settings.DEFAULTS)) {
      var started = System.nanoTime();
      int next = 0;
      for (int b = 1; b <= batches; b++) {
        var until = DAY.plus(Duration.ofDays(1).multipliedBy(b).dividedBy(batches));
        while (next < events.size() && events.get(next).at().isBefore(until)) {
          history.record(events.get(next++));
        }
        clock.now = until.minusMillis(1);
        history.flush();
      }
      System.out.printf("day: %d events from %d devices in %d commits, written in %.1f s%n", events.size(), devices,
          batches, (System.nanoTime() - started) / 1e9);
    }
    var gc = new ProcessBuilder("git", "-C", origin.toString(), "repack", "-a", "-d", "-f", "-q", "--window=50",
        "--depth=50").inheritIO().start();
    gc.waitFor();
    long pack = 0;
    try (var files = Files.walk(origin.resolve("objects/pack"))) {
      pack = files.filter(p -> p.toString().endsWith(".pack")).mapToLong(p -> p.toFile().length()).sum();
    }
    long raw = rawSize(origin);
    System.out.printf("packed: %.2f MB (day files as text: %.2f MB) after git repack -a -d -f%n", pack / 1e6, raw / 1e6);
    rebuildAndQuery(dir, origin, devices);
  }

  static void rebuildAndQuery(Path dir, Path origin, int devices) throws Exception {
    Files.deleteIfExists(dir.resolve("index.db"));
    var started = System.nanoTime();
    try (var mirror = FleetRepo.mirror(dir.resolve("mirror"), origin.toString(), "main");
        var history = GitHistory.open(mirror.repository(), origin.toString(), BRANCH, dir.resolve("index.db"),
            Clock.systemUTC(), GitHistory.Settings.DEFAULTS)) {
      System.out.printf("index rebuilt from the branch in %.2f s%n", (System.nanoTime() - started) / 1e9);
      var random = new Random(7);
      var times = new ArrayList<Double>();
      for (int i = 0; i < 1_200; i++) {
        var device = "kiosk-" + random.nextInt(devices);
        var t = System.nanoTime();
        var found = history.query(HistoryQuery.ofDevice(device, 100));
        if (i >= 200) {
          times.add((System.nanoTime() - t) / 1e6);
        }
        if (found.size() < 5) {
          throw new IllegalStateException(device + " has " + found.size() + " events");
        }
      }
      times.sort(Comparator.naturalOrder());
      System.out.printf("last 100 events of a device: median %.3f ms, p99 %.3f ms (1,000 devices)%n",
          times.get(times.size() / 2), times.get(times.size() * 99 / 100));
    }
  }

  static void load(Path dir, int devices, int rate, int seconds) throws Exception {
    var origin = origin(dir);
    var threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var random = new Random(11);
    try (var mirror = FleetRepo.mirror(dir.resolve("mirror"), origin.toString(), "main");
        var history = GitHistory.open(mirror.repository(), origin.toString(), BRANCH, dir.resolve("index.db"),
            Clock.systemUTC(), GitHistory.Settings.DEFAULTS).start()) {
      System.gc();
      long rssBefore = rss();
      long cpuBefore = os.getProcessCpuTime();
      var started = System.nanoTime();
      for (int s = 0; s < seconds; s++) {
        for (int i = 0; i < rate; i++) {
          var d = random.nextInt(devices);
          history.record(receipt(Instant.now(), d, random));
        }
        var wait = started + (s + 1) * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      history.flush();
      double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
      double wall = (System.nanoTime() - started) / 1e9;
      System.gc();
      System.out.printf("%s: %d events/s for %d s: %.1f CPU s in %.1f s wall (%.1f%% of one core),"
          + " RSS %d -> %d MB (peak %d MB)%n", rate == 0 ? "idle" : "load", rate, seconds, cpu, wall,
          100 * cpu / wall, rssBefore >> 20, rss() >> 20, peakRss() >> 20);
    }
  }

  static List<HistoryEvent> dayOfEvents(int devices) {
    var random = new Random(42);
    var events = new ArrayList<HistoryEvent>();
    var commit = hex(random, 20);
    events.add(new HistoryEvent(DAY.plusSeconds(3_600), null, null, EventKind.COMMIT_ACCEPTED, commit,
        JsonNodeFactory.instance.objectNode().put("reason", "Reconciled")
            .put("message", "commit " + commit.substring(0, 12) + ": " + devices + " bundle(s) signed")));
    for (int t = 0; t < 10; t++) {
      for (var step : List.of("WaveStarted", "WaveHealthy", "WaveStarted", "AllWavesHealthy")) {
        events.add(new HistoryEvent(DAY.plusSeconds(3_600 + random.nextInt(70_000)), "tenant-" + t, null,
            EventKind.ROLLOUT, hex(random, 20), JsonNodeFactory.instance.objectNode().put("rollout", "app-1-5")
                .put("reason", step).put("message", "wave 'canary' started: 10 device(s)")));
      }
    }
    for (int d = 0; d < devices; d++) {
      var first = DAY.plusSeconds(3_600 + random.nextInt(72_000));
      events.add(receipt(first, d, random));
      var away = first.plusSeconds(600 + random.nextInt(3_600));
      events.add(presence(away, d, EventKind.OFFLINE, first));
      events.add(presence(away.plusSeconds(300 + random.nextInt(3_600)), d, EventKind.ONLINE, first));
      events.add(receipt(away.plusSeconds(4_000), d, random));
      events.add(receipt(away.plusSeconds(5_000), d, random));
    }
    events.sort(Comparator.comparing(HistoryEvent::at));
    return events;
  }

  static HistoryEvent receipt(Instant at, int device, Random random) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode().put("outcome", "applied").put("bundleVersion", 12)
        .put("bundleDigest", "sha256:" + hex(random, 32)).put("receipt", "sha256:" + hex(random, 32))
        .put("resources", 14).put("agentVersion", "0.1.0");
    return new HistoryEvent(at, "tenant-" + device % 10, "kiosk-" + device, EventKind.RECEIPT,
        "c0ffee0123456789c0ffee0123456789c0ffee01", detail);
  }

  static HistoryEvent presence(Instant at, int device, EventKind kind, Instant lastSeen) {
    var detail = JsonNodeFactory.instance.objectNode().put("lastSeen", lastSeen.toString());
    if (kind == EventKind.OFFLINE) {
      detail.put("missedReports", 3).put("pollInterval", "PT1M");
    }
    return new HistoryEvent(at, "tenant-" + device % 10, "kiosk-" + device, kind, null, detail);
  }

  static String hex(Random random, int bytes) {
    var b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static Path origin(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    var origin = dir.resolve("origin.git");
    Git.init().setBare(true).setDirectory(origin.toFile()).setInitialBranch("main").call().close();
    return origin;
  }

  static long rawSize(Path origin) throws Exception {
    var ls = new ProcessBuilder("git", "-C", origin.toString(), "ls-tree", "-r", "-l", BRANCH).start();
    long total = 0;
    for (var line : new String(ls.getInputStream().readAllBytes()).split("\n")) {
      var parts = line.trim().split("\\s+");
      if (parts.length >= 4) {
        total += Long.parseLong(parts[3]);
      }
    }
    return total;
  }

  static long rss() throws Exception {
    return status("VmRSS:");
  }

  static long peakRss() throws Exception {
    return status("VmHWM:");
  }

  static long status(String field) throws Exception {
    for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    return 0;
  }
}
