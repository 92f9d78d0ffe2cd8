import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.git.Revision;
import dev.flotilla.publish.BundleDirectory;
import dev.flotilla.publish.Publisher;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.trust.Keys;
import dev.flotilla.validate.FleetValidator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Cold render and sign of a whole fleet, as the reconciler's first pass does it after validation: every device with
 * an identity rendered, every bundle signed and written to an empty bundle store; then a second pass over the same
 * commit, which must sign nothing. With {@code --runs N} the first pass is repeated N times in the same JVM, each
 * into a new empty store, so the later runs show the cost without JIT warm-up. Prints wall and CPU time (all
 * threads of this JVM, so GC and JIT included) of each phase. {@code --keep} leaves the stores in place (and prints
 * where), for runs one after another on ext4, where deleting them would slow the next run's file creation:
 *
 *   java -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/RenderSign.java FLEET [--runs N] [--keep]
 */
public class RenderSign {
  public static void main(String[] args) throws Exception {
    var fleet = Path.of(args[0]);
    var options = java.util.List.of(args).subList(1, args.length);
    var runs = options.contains("--runs") ? Integer.parseInt(options.get(options.indexOf("--runs") + 1)) : 1;
    var keep = options.contains("--keep");
    var report = new FleetValidator(Clock.systemUTC()).validate(new DirectoryTree(fleet));
    var index = FleetIndex.of(report.snapshot());
    var revision = new Revision("0".repeat(40), Instant.now(), "bench");
    var signer = new BundleSigner(Keys.generate());
    var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var stores = new java.util.ArrayList<Path>();
    for (int run = 1; run <= runs; run++) {
      var store = Files.createTempDirectory("flotilla-bench-bundles-");
      stores.add(store);
      var publisher = new Publisher(new BundleDirectory(store), signer, Clock.systemUTC(), Duration.ofDays(7));
      var cpuStarted = cpu.getProcessCpuTime();
      var started = System.nanoTime();
      var renderer = new DeviceRenderer(index);
      var rendered = report.snapshot().devices().parallelStream()
          .filter(d -> d.resource().getSpec().getIdentity() != null).map(renderer::render).toList();
      var renderedAt = System.nanoTime();
      var cpuRendered = cpu.getProcessCpuTime();
      var result = publisher.publish(rendered, revision);
      var done = System.nanoTime();
      var cpuDone = cpu.getProcessCpuTime();
      var again = publisher.publish(rendered, revision);
      var second = System.nanoTime();
      System.out.printf("run %d, %d devices: render %d ms, sign+write %d ms, total %d ms wall"
              + " (cpu %d + %d ms); second pass signed %d (%d ms); load average %.1f%n",
          run, rendered.size(), ms(renderedAt - started), ms(done - renderedAt), ms(done - started),
          ms(cpuRendered - cpuStarted), ms(cpuDone - cpuRendered), again.changed().size(), ms(second - done),
          cpu.getSystemLoadAverage());
      if (result.changed().size() != rendered.size() || !again.changed().isEmpty()) {
        throw new IllegalStateException("expected every bundle signed once, then none");
      }
    }
    // deleted only now: on ext4 without a journal, creating a file skips inodes freed in the last ~30 s, so
    // deleting 10,000 files between runs would slow the next run's writes
    for (var store : stores) {
      if (keep) {
        System.out.println("kept " + store);
      } else {
        delete(store);
      }
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
