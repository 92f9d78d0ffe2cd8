import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * Validates one fleet repeatedly in one JVM and prints documents per second once warm: the throughput a long-running
 * reconciler sees, without start-up and JIT warm-up. Run by bench/validate.sh with the CLI's classpath:
 *
 *   java -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/WarmValidate.java FLEET [WARMUP] [RUNS]
 */
public class WarmValidate {
  public static void main(String[] args) throws Exception {
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    System.setProperty("slf4j.internal.verbosity", "WARN");
    var fleet = Path.of(args[0]);
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    var validator = new FleetValidator(Clock.systemUTC());
    int documents = 0;
    var millis = new double[runs];
    for (int i = 0; i < warmup + runs; i++) {
      long start = System.nanoTime();
      var report = validator.validate(new DirectoryTree(fleet));
      long elapsed = System.nanoTime() - start;
      if (report.errors() > 0) {
        System.err.println("fleet has " + report.errors() + " errors; the benchmark needs a valid fleet");
        System.exit(1);
      }
      documents = report.snapshot().size();
      if (i >= warmup) {
        millis[i - warmup] = elapsed / 1e6;
      }
    }
    Arrays.sort(millis);
    double median = millis[runs / 2];
    System.out.printf("warm validate of %d documents: median %.0f ms (min %.0f, max %.0f, %d runs after %d warm-up)"
        + " = %.0f documents/s%n", documents, median, millis[0], millis[runs - 1], runs, warmup,
        documents / (median / 1000));
  }
}
