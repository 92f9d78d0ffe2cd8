import dev.flotilla.agent.host.Applier;
import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.secret.SealedFiles;
import dev.flotilla.cli.secret.SealTargets;
import dev.flotilla.cli.secret.SecretFile;
import dev.flotilla.model.SealedValue;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.secret.Sealer;
import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of sealed secrets: (1) sealing one 64-byte value for N devices (default 10,000) as
 * 'flotilla secret seal' does it (one KEM encapsulation per device, in parallel, then the secret file's text),
 * timed RUNS times in one JVM after making the keys; (2) the agent's cost of a sealed file per bundle apply: the
 * applier writing one sealed file (open with the device key, write 0600, record its digest) against the same
 * file as plain content, median of 500 applies each after 200 warm-up ones, on a temp dir:
 *
 *   java -cp "cli/target/flotilla-cli.jar:cli/target/lib/*" bench/SealBench.java [DEVICES] [RUNS]
 */
public class SealBench {
  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var value = "wpa2-psk:".concat("x".repeat(55)).getBytes(StandardCharsets.UTF_8);
    var keys = new TreeMap<String, PublicKey>();
    for (int i = 0; i < devices; i++) {
      keys.put(String.format("kiosk-%05d", i), Keys.generate().getPublic());
    }
    var targets = new SealTargets("acme", keys, List.of());
    System.out.printf("cores %d, %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      var sealed = new SecretFile("acme", "wifi-psk", null, Map.of()).sealedFor(targets, value);
      long sealedAt = System.nanoTime();
      var text = sealed.text();
      long end = System.nanoTime();
      System.out.printf("seal for %,d devices, run %d: %.2f s (seal %.2f s, file text %.2f s, %,d bytes)%n",
          devices, run, (end - start) / 1e9, (sealedAt - start) / 1e9, (end - sealedAt) / 1e9, text.length());
    }
    agentCost(value);
  }

  static void agentCost(byte[] value) throws Exception {
    var dir = Files.createTempDirectory("seal-bench");
    var host = Files.createDirectories(dir.resolve("host/etc"));
    var files = new HostFiles(dir.resolve("host"), List.of("/etc"));
    var pair = Keys.generate();
    var sealedFiles = new SealedFiles(Files.createDirectories(dir.resolve("state")), "kiosk-1", pair.getPrivate(),
        Keys.keyId(pair.getPublic()));
    var applier = new Applier(files, new Sysctl(dir.resolve("proc"), dir.resolve("host")), null, null, sealedFiles);
    var secret = Sealer.seal("wifi-psk", "kiosk-1", pair.getPublic(), 1, value);
    var sealed = new SealedValue();
    sealed.setScheme("dhkem-p256-hkdf-sha256-aes-256-gcm-v1");
    sealed.setKeyFingerprint(secret.keyFingerprint());
    sealed.setSerial(1L);
    sealed.setCiphertext(secret.ciphertextBase64());
    var sealedPlan = new Plan(List.of(new WriteSealedFile("/etc/wifi.psk", "wifi-psk", sealed, "0600", null, null,
        WriteFile.Action.UPDATE, "<sealed wifi-psk, changed>")));
    var plain = new byte[value.length];
    System.out.printf("agent, one sealed file per apply: median %.0f µs; the same file as plain content: median"
        + " %.0f µs%n", median(applier, sealedPlan, null), median(applier, null, plain));
  }

  /** Median µs of applying {@code plan}, or (plan null) a plain write of {@code content} that changes each time. */
  static double median(Applier applier, Plan plan, byte[] content) {
    var times = new ArrayList<Long>();
    for (int i = 0; i < 700; i++) {
      var step = plan;
      if (step == null) {
        content[0] = (byte) i;
        var sha = dev.flotilla.digest.Digest.sha256(content).toString();
        step = new Plan(List.of(new WriteFile("/etc/plain.psk", content, sha, "0600", null, null,
            WriteFile.Action.UPDATE, "content")));
      }
      long start = System.nanoTime();
      var result = applier.apply(step);
      long took = System.nanoTime() - start;
      if (result.results().getFirst().outcome() == dev.flotilla.agent.plan.Outcome.FAILED) {
        throw new IllegalStateException("apply failed: " + result);
      }
      if (i >= 200) {
        times.add(took);
      }
    }
    var sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[sorted.length / 2] / 1e3;
  }
}
