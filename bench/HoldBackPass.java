import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.fleet.FleetTree;
import dev.flotilla.reconcile.Acceptance;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * What holding back one tenant costs the reconciler per new commit: the median time of validating a fleet, of
 * deciding on it when it is valid ({@code Acceptance.of}, no second check), and of deciding on it when one tenant's
 * tenant.yaml is invalid (the checks across files run again on the composed snapshot). The invalid file is served
 * from memory; nothing on disk changes. Run from the checkout after 'mvn -pl reconciler -am verify', on the fleet
 * bench/validate.sh generates, with the reactor's own classes and the other dependencies from Maven:
 *
 *   mvn -q -pl reconciler -am dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=runtime
 *   DEPS=$(tr ':' '\n' < /tmp/cp.txt | grep -v /dev/flotilla/ | paste -sd:)
 *   java -XX:+UseSerialGC -cp "reconciler/target/classes:core/target/classes:model/target/classes:$DEPS" \
 *       bench/HoldBackPass.java bench/out/fleet-10k t03 [RUNS]
 */
public class HoldBackPass {
  public static void main(String[] args) throws Exception {
    var fleet = new DirectoryTree(Path.of(args[0]));
    var broken = "tenants/" + args[1] + "/tenant.yaml";
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    var clock = Clock.systemUTC();
    var validator = new FleetValidator(clock);
    var previous = Acceptance.of(validator.validate(fleet), null, clock.instant()).served();
    var valid = new double[runs];
    var decideValid = new double[runs];
    var decideHeld = new double[runs];
    for (int i = 0; i < runs + 3; i++) {
      long start = System.nanoTime();
      var report = validator.validate(fleet);
      long validated = System.nanoTime();
      var whole = Acceptance.of(report, previous, clock.instant());
      long decided = System.nanoTime();
      var brokenReport = validator.validate(withBrokenFile(fleet, broken));
      long brokenValidated = System.nanoTime();
      var held = Acceptance.of(brokenReport, previous, clock.instant());
      long heldDecided = System.nanoTime();
      if (!whole.heldBack().isEmpty() || !held.heldBack().keySet().equals(java.util.Set.of(args[1]))) {
        throw new IllegalStateException("unexpected: " + whole.heldBack().keySet() + " / " + held.heldBack().keySet());
      }
      if (i >= 3) {
        valid[i - 3] = (validated - start) / 1e6;
        decideValid[i - 3] = (decided - validated) / 1e6;
        decideHeld[i - 3] = (heldDecided - brokenValidated) / 1e6;
      }
    }
    System.out.printf("%d documents: validate %s; decide, all valid %s; decide, '%s' held back %s%n",
        previous.size(), median(valid), median(decideValid), args[1], median(decideHeld));
  }

  private static String median(double[] millis) {
    Arrays.sort(millis);
    return String.format("median %.0f ms (min %.0f, max %.0f)", millis[millis.length / 2], millis[0],
        millis[millis.length - 1]);
  }

  /** {@code tree} with an unknown field added to {@code path}. */
  private static FleetTree withBrokenFile(FleetTree tree, String path) {
    return new FleetTree() {
      @Override
      public List<String> paths() throws IOException {
        return tree.paths();
      }

      @Override
      public byte[] read(String file, int limit) throws IOException {
        var bytes = tree.read(file, limit);
        return file.equals(path) ? (new String(bytes, StandardCharsets.UTF_8) + "colour: blue\n")
            .getBytes(StandardCharsets.UTF_8) : bytes;
      }

      @Override
      public long size(String file) throws IOException {
        return tree.size(file);
      }
    };
  }
}
