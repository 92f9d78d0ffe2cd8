import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.git.Revision;
import dev.flotilla.publish.BundleDirectory;
import dev.flotilla.publish.Publisher;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.trust.Keys;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Cold render and sign of a whole fleet, as the reconciler's first pass does it after validation: every device with
 * an identity rendered, every bundle signed and written to an empty bundle store; then a second pass over the same
 * commit, which must sign nothing. Run by bench/render-sign.sh:
 *
 *   java -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/RenderSign.java FLEET
 */
public class RenderSign {
  public static void main(String[] args) throws Exception {
    var fleet = Path.of(args[0]);
    var report = new FleetValidator(Clock.systemUTC()).validate(new DirectoryTree(fleet));
    var index = FleetIndex.of(report.snapshot());
    var revision = new Revision("0".repeat(40), Instant.now(), "bench");
    var store = Files.createTempDirectory("flotilla-bench-bundles-");
    var publisher = new Publisher(new BundleDirectory(store), new BundleSigner(Keys.generate()), Clock.systemUTC(),
        Duration.ofDays(7));
    var started = System.nanoTime();
    var renderer = new DeviceRenderer(index);
    var rendered = report.snapshot().devices().parallelStream()
        .filter(d -> d.resource().getSpec().getIdentity() != null).map(renderer::render).toList();
    var renderedAt = System.nanoTime();
    var result = publisher.publish(rendered, revision);
    var done = System.nanoTime();
    var again = publisher.publish(rendered, revision);
    var second = System.nanoTime();
    System.out.printf("devices %d: render %d ms, sign+write %d ms, total %d ms; second pass signed %d (%d ms)%n",
        rendered.size(), (renderedAt - started) / 1_000_000, (done - renderedAt) / 1_000_000,
        (done - started) / 1_000_000, again.changed().size(), (second - done) / 1_000_000);
    if (result.changed().size() != rendered.size() || !again.changed().isEmpty()) {
      throw new IllegalStateException("expected every bundle signed once, then none");
    }
  }
}
