package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent process killed with SIGKILL while it applies a bundle of many files: started again, it removes the
 * temp files it left, finishes the apply, and reports the pass as Recovered.
 */
class KilledMidApplyIT {
  private static final int FILES = 400;

  @TempDir
  Path dir;

  @Test
  void anAgentKilledMidApplyRecoversAtItsNextStart() throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), KilledMidApplyIT.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    var many = dir.resolve("host/etc/many");
    try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (var line = out.readLine(); line != null && !line.equals("applying version 2"); line = out.readLine()) {
        assertThat(line).as("the agent's output before version 2").doesNotStartWith("failed");
      }
      while (process.isAlive() && written(many, "two") < FILES / 10) {
        Thread.sleep(2);
      }
      process.destroyForcibly(); // SIGKILL
      process.waitFor();
    }
    var writtenBeforeKill = written(many, "two");
    var leftBehind = tempFiles();
    System.out.printf("killed after %d of %d files; %d temp file(s) left%n", writtenBeforeKill, FILES,
        leftBehind);
    assertThat(writtenBeforeKill).as("killed mid-apply").isBetween(1, FILES - 1);

    var device = new TestDevice(dir);
    try (var agent = device.agent()) {
      var pass = agent.resume().orElseThrow();

      assertThat(pass.outcome()).as(pass.message()).isEqualTo(PassOutcome.RECOVERED);
      assertThat(pass.version()).isEqualTo(2);
    }
    assertThat(written(many, "two")).isEqualTo(FILES);
    assertThat(tempFiles()).isZero();
  }

  /** Applies version 1, says so, then applies version 2, which rewrites every file; the test kills it meanwhile. */
  public static void main(String[] args) throws Exception {
    var device = new TestDevice(Path.of(args[0]));
    try (var agent = device.agent()) {
      var one = agent.applyFile(device.signed(TestDevice.payload(1, files("one"), Map.of())));
      if (one.outcome() != PassOutcome.APPLIED) {
        System.out.println("failed: " + one.message());
        return;
      }
      System.out.println("applying version 2");
      agent.applyFile(device.signed(TestDevice.payload(2, files("two"), Map.of())));
      System.out.println("applied version 2");
    }
  }

  private static Map<String, String> files(String version) {
    var files = new TreeMap<String, String>();
    for (int i = 0; i < FILES; i++) {
      files.put("/etc/many/file-%04d.conf".formatted(i), (version + " " + i + "\n").repeat(400));
    }
    return files;
  }

  private static int written(Path many, String version) throws IOException {
    try (Stream<Path> entries = Files.list(many)) {
      return (int) entries.filter(p -> p.getFileName().toString().startsWith("file-")).filter(p -> {
        try {
          return Files.readString(p).startsWith(version + " ");
        } catch (IOException e) {
          return false; // renamed away meanwhile
        }
      }).count();
    }
  }

  private long tempFiles() throws IOException {
    try (Stream<Path> all = Files.walk(dir.resolve("host"))) {
      return all.filter(p -> p.getFileName().toString().endsWith(".flotilla-tmp")).count();
    }
  }
}
