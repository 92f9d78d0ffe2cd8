import dev.flotilla.status.StatusBoard;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.git.Revision;
import dev.flotilla.model.AppStatus;
import dev.flotilla.model.StatusReport;
import dev.flotilla.publish.BundleDirectory;
import dev.flotilla.publish.Publisher;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.rollout.StatusBranch;
import dev.flotilla.trust.Keys;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reconciler passes with every rollout of a fleet active: each pass steps all rollouts (their status files
 * written to an in-memory status branch, as bytes), renders every device with the versions rollouts give, and
 * signs what changed; between passes every device reports what it was given as healthy, as agents would. Prints
 * per pass the time of the rollout step, render and publish, and the heap in use after a GC (with the fleet,
 * the rendered bundles and the rollout states live).
 *
 *   java -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/RolloutPass.java FLEET [PASSES]
 */
public class RolloutPass {
  /** A status branch in memory with compare-and-swap, like the Git one. */
  static final class MemoryBranch implements StatusBranch {
    final Map<String, byte[]> files = new TreeMap<>();
    int commit;

    public Snapshot read() {
      return new Snapshot(commit == 0 ? null : "c" + commit, new TreeMap<>(files));
    }

    public String commit(String base, Map<String, byte[]> changes, String message) {
      files.putAll(changes);
      return "c" + ++commit;
    }
  }

  public static void main(String[] args) throws Exception {
    var report = new FleetValidator(Clock.systemUTC()).validate(new DirectoryTree(Path.of(args[0])));
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    var index = FleetIndex.of(report.snapshot());
    var claimed = report.snapshot().devices().stream().filter(d -> d.resource().getSpec().getIdentity() != null)
        .toList();
    var board = new StatusBoard();
    var branch = new MemoryBranch();
    var runner = new RolloutRunner(branch, board, Clock.systemUTC());
    var publisher = new Publisher(new BundleDirectory(Files.createTempDirectory("flotilla-bench-rollout-")),
        new BundleSigner(Keys.generate()), Clock.systemUTC(), Duration.ofDays(7));
    System.out.printf("%d devices (%d claimed), %d rollouts%n", report.snapshot().devices().size(), claimed.size(),
        report.snapshot().rollouts().size());
    for (int pass = 1; pass <= passes; pass++) {
      var t0 = System.nanoTime();
      var result = runner.step(index);
      var t1 = System.nanoTime();
      var renderer = new DeviceRenderer(index, result.versions());
      var rendered = claimed.parallelStream().map(renderer::render).toList();
      var t2 = System.nanoTime();
      var published = publisher.publish(rendered, new Revision("0".repeat(40), Instant.now(), "bench"));
      var t3 = System.nanoTime();
      var phases = result.rollouts().stream().collect(Collectors.groupingBy(
          v -> v.state().phase().value() + "@" + v.state().wave(), TreeMap::new, Collectors.counting()));
      System.gc();
      var rt = Runtime.getRuntime();
      System.out.printf("pass %2d: rollouts %4d ms, render %4d ms, publish %5d ms (%5d signed), heap after GC %d MB;"
          + " %s%n", pass, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
          published.changed().size(), (rt.totalMemory() - rt.freeMemory()) >> 20, phases);
      var now = Instant.now();
      for (var r : rendered) {
        var status = new StatusReport();
        status.setDevice(r.device());
        status.setApps(r.payload().getState().getApps().stream().map(a -> {
          var app = new AppStatus();
          app.setName(a.getName());
          app.setVersion(a.getVersion());
          app.setHealth("Healthy");
          return app;
        }).toList());
        board.put(r.device(), status, now);
      }
    }
    System.out.printf("status branch: %d files, %d KB%n", branch.files.size(),
        branch.files.values().stream().mapToInt(b -> b.length).sum() >> 10);
  }
}
