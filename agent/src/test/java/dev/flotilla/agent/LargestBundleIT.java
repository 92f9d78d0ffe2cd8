package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.bundle.BundleFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest bundle the reconciler serves (signed, schema-valid, just under {@link BundleFormat#MAX_BYTES}),
 * fetched over loopback HTTP by {@code flotilla-agent run} in a JVM started with the JVM flags of the shipped
 * systemd unit (read from {@code packaging/flotilla-agent.service}): it is applied and the agent keeps running.
 * The next bundle, a KiB over the cap, is refused with the reason in the log, and the agent keeps the last good
 * one, on the host and in its store.
 */
class LargestBundleIT {
  static final Path UNIT = Path.of("..", "packaging", "flotilla-agent.service");
  static final Pattern FLAGS = Pattern.compile("Environment=\"FLOTILLA_AGENT_JVM_FLAGS=([^\"]*)\"");
  static final String MACHINE_ID = "0123456789abcdef0123456789abcdef";
  static final Duration PATIENCE = Duration.ofMinutes(3);

  @TempDir
  Path dir;
  TestDevice device;
  StandInServer server;
  Process agent;
  Path log;

  @BeforeEach
  void setUp() throws IOException {
    device = new TestDevice(dir);
    server = new StandInServer();
    Files.writeString(device.host.resolve("etc/machine-id"), MACHINE_ID + "\n");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null) {
      agent.destroy();
      if (!agent.waitFor(20, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
    server.close();
  }

  @Test
  void appliesTheLargestBundleUnderTheShippedFlagsAndRefusesOneOverTheCap() throws Exception {
    var largest = signed(1, BundleFormat.MAX_BYTES - 4096);
    assertThat(largest.length).isBetween(BundleFormat.MAX_BYTES - 8192, BundleFormat.MAX_BYTES);
    server.serve("\"v1\"", largest);
    agent = start();

    waitUntil(() -> server.reports.stream().anyMatch(r -> r.contains("Applied")), "version 1 applied");
    assertThat(agent.isAlive()).as(output()).isTrue();
    assertThat(Files.size(device.host.resolve("etc/big/f00"))).isEqualTo(1 << 20);

    var over = signed(2, BundleFormat.MAX_BYTES + 1024);
    assertThat(over.length).isBetween(BundleFormat.MAX_BYTES + 1, BundleFormat.MAX_BYTES + 2048);
    server.serve("\"v2\"", over);
    waitUntil(() -> output().contains("over the cap"), "version 2 refused");

    assertThat(output()).contains("fetch bundle: it is " + over.length + " bytes, over the cap of 16 MiB (16777216"
        + " bytes); retrying in ").contains("keeping version 1");
    assertThat(agent.isAlive()).as(output()).isTrue();
    assertThat(output()).doesNotContain("OutOfMemoryError");
    assertThat(new BundleStore(device.stateDir).current()).hasValueSatisfying(b -> assertThat(b).isEqualTo(largest));
    assertThat(Files.readString(device.host.resolve("etc/big/f00"))).startsWith("v1 ");
  }

  /** The agent process: {@code flotilla-agent run} with the unit's JVM flags, its tmpdirs moved into the sandbox. */
  private Process start() throws IOException {
    var settings = device.config();
    var config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
        "server: " + server.uri(), "device: " + settings.getDevice(), "stateDir: " + settings.getStateDir(),
        "hostRoot: " + settings.getHostRoot(), "procRoot: " + settings.getProcRoot(),
        "privateKey: " + settings.getPrivateKey(), "trustRoot: " + settings.getTrustRoot(),
        "allowedPaths: [/etc/big]", "metrics: { enabled: false }", ""));
    var native_ = Files.createDirectories(dir.resolve("native")).toString();
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (var flag : unitFlags()) {
      command.add(flag.startsWith("-Djna.tmpdir=") ? "-Djna.tmpdir=" + native_
          : flag.startsWith("-Dorg.sqlite.tmpdir=") ? "-Dorg.sqlite.tmpdir=" + native_ : flag);
    }
    command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        FlotillaAgent.class.getName(), "run", "-c", config.toString()));
    log = dir.resolve("agent.log");
    var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    return builder.start();
  }

  static List<String> unitFlags() throws IOException {
    var matcher = FLAGS.matcher(Files.readString(UNIT));
    assertThat(matcher.find()).as("FLOTILLA_AGENT_JVM_FLAGS in " + UNIT).isTrue();
    var flags = List.of(matcher.group(1).strip().split("\\s+"));
    assertThat(flags).anyMatch(f -> f.startsWith("-Xmx"));
    return flags;
  }

  /** A signed bundle of {@code version} whose size is within a few hundred bytes of {@code size}: files of 1 MiB. */
  private byte[] signed(long version, int size) {
    var files = new TreeMap<String, String>();
    var budget = (long) (size - 2048) * 3 / 4;
    for (int i = 0; budget > 0; i++) {
      var chars = (int) Math.min(1 << 20, budget);
      files.put(String.format("/etc/big/f%02d", i), content(version, chars));
      budget -= chars + 40;
    }
    var bundle = bundle(version, files);
    var last = files.lastKey();
    for (int round = 0; round < 3 && Math.abs(size - bundle.length) > 256; round++) {
      // escaped newlines make a character of content a little over a byte: close in on the size
      files.put(last, content(version, files.get(last).length() + (int) ((size - bundle.length) * 3L / 4 * 98 / 100)));
      bundle = bundle(version, files);
    }
    return bundle;
  }

  private byte[] bundle(long version, Map<String, String> files) {
    var payload = TestDevice.payload(version, files, Map.of());
    payload.setIdentityHash(IdentityReader.hash(MACHINE_ID));
    return device.signed(payload);
  }

  private static String content(long version, int chars) {
    var line = "v" + version + " " + "0123456789abcdef".repeat(6) + "\n";
    var text = new StringBuilder(chars + line.length());
    while (text.length() < chars) {
      text.append(line);
    }
    text.setLength(chars);
    return text.toString();
  }

  private String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    var deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(agent.isAlive()).as("agent exited before " + what + ": " + output()).isTrue();
      assertThat(System.nanoTime()).as("waiting for " + what + ": " + output()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
