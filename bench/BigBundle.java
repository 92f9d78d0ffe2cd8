import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.bundle.BundleFormat;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.FileSpec;
import dev.flotilla.model.KeyRole;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The agent's memory with the largest bundle it accepts: signs a bundle of files whose signed size is just under
 * BundleFormat.MAX_BYTES, then runs the agent launcher (with its shipped JVM flags unless FLOTILLA_AGENT_JVM_FLAGS is
 * set) twice: 'apply --bundle' (verify, plan, write), sampling its RSS, and 'run' for RUN_SECONDS, which verifies
 * the stored bundle again at start and keeps enforcing it. Prints peak (VmHWM) and current RSS of each, and fails
 * unless the bundle applied. Usage: java -cp <agent classpath> bench/BigBundle.java LAUNCHER OUT_DIR [RUN_SECONDS].
 */
public class BigBundle {
  static final String DEVICE = "big-1";
  static final int FILE_BYTES = 1 << 20;

  public static void main(String[] args) throws Exception {
    var launcher = Path.of(args[0]);
    var out = Path.of(args[1]).toAbsolutePath();
    var runSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    if (Files.exists(out)) {
      try (var walk = Files.walk(out)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    var host = Files.createDirectories(out.resolve("host/etc/big"));
    Files.writeString(out.resolve("host/etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    Files.createDirectories(out.resolve("proc"));
    var root = Keys.generate();
    var signer = Keys.generate();
    Files.write(out.resolve("root.json"), TrustRoots.toJson(TrustRoots.sign(TrustRoots.body("bench", 1,
        Instant.now().plus(Duration.ofDays(30)), Map.of(KeyRole.ROOT, List.of(root.getPublic()),
            KeyRole.BUNDLE_SIGNER, List.of(signer.getPublic())), Map.of()), List.of(root))));
    Keys.writePrivate(out.resolve("device.key"), Keys.generate().getPrivate());
    Files.writeString(out.resolve("agent.yaml"), String.join("\n", "server: http://127.0.0.1:9",
        "device: " + DEVICE, "privateKey: " + out.resolve("device.key"), "trustRoot: " + out.resolve("root.json"),
        "stateDir: " + out.resolve("state"), "hostRoot: " + out.resolve("host"), "procRoot: " + out.resolve("proc"),
        "allowedPaths: [/etc/big]", "metrics: { enabled: false }", ""));
    var bundle = largest(signer, IdentityReader.hash("0123456789abcdef0123456789abcdef"));
    Files.write(out.resolve("bundle.json"), bundle);
    System.out.printf("bundle: %d bytes (cap %d, %d under it)%n", bundle.length, BundleFormat.MAX_BYTES,
        BundleFormat.MAX_BYTES - bundle.length);

    var apply = measure(launcher, out, 0, "apply", "--bundle", out.resolve("bundle.json").toString());
    if (apply.exit() != 0 || !apply.output().contains("Applied")) {
      throw new IllegalStateException("apply failed (exit " + apply.exit() + "): " + apply.output());
    }
    System.out.printf("apply --bundle: exit 0 in %.1f s, peak RSS %.1f MB%n", apply.seconds(), apply.peakKb() / 1024.0);
    var run = measure(launcher, out, runSeconds, "run");
    System.out.printf("run (%d s, enforcing the stored bundle): peak RSS %.1f MB, RSS at the end %.1f MB%n",
        runSeconds, run.peakKb() / 1024.0, run.lastKb() / 1024.0);
    if (!run.alive()) {
      throw new IllegalStateException("run exited early (" + run.exit() + "): " + run.output());
    }
  }

  /** A signed bundle of 1 MiB files, the last one cut so the signed bundle is just under the cap. */
  static byte[] largest(KeyPair signer, String identity) {
    var random = new Random(42);
    var files = new ArrayList<FileSpec>();
    var budget = (BundleFormat.MAX_BYTES - 2048) / 4 * 3 - 4096;
    for (int i = 0; budget > 0; i++) {
      var size = Math.min(FILE_BYTES, budget);
      var text = new StringBuilder(size);
      while (text.length() < size) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      var file = new FileSpec();
      file.setPath("/etc/big/f" + i);
      file.setContent(text.toString());
      files.add(file);
      budget -= size + 64;
    }
    var state = new DesiredState();
    state.setFiles(files);
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("bench");
    payload.setTenant("bench");
    payload.setDevice(DEVICE);
    payload.setIdentityHash(identity);
    payload.setVersion(1L);
    payload.setIssuedAt(Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(Instant.now().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
    payload.setSourceCommit("0123456789abcdef0123456789abcdef01234567");
    payload.setRootVersion(1L);
    payload.setState(state);
    return new BundleSigner(signer).sign(BundlePayloads.encode(payload));
  }

  record Measured(int exit, boolean alive, String output, double seconds, long peakKb, long lastKb) {}

  /** Runs the launcher with {@code args}; with {@code seconds} > 0 stops it (SIGTERM) after that long. */
  static Measured measure(Path launcher, Path out, int seconds, String... args) throws Exception {
    var command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-c", out.resolve("agent.yaml").toString()));
    var log = out.resolve(args[0] + ".log");
    var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    var start = System.nanoTime();
    long peak = 0;
    long last = 0;
    var deadline = seconds > 0 ? start + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    while (process.isAlive() && System.nanoTime() < deadline) {
      peak = Math.max(peak, status(process.pid(), "VmHWM"));
      last = Math.max(0, status(process.pid(), "VmRSS"));
      Thread.sleep(10);
    }
    var alive = process.isAlive();
    process.destroy();
    var exit = process.waitFor();
    return new Measured(exit, alive, Files.readString(log, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1e9,
        peak, last);
  }

  /** A {@code /proc/<pid>/status} value in kB, or 0 when the process is gone. */
  static long status(long pid, String field) {
    try {
      for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // the process ended between two samples
    }
    return 0;
  }
}
