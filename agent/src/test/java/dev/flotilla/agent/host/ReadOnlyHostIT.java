package dev.flotilla.agent.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.host.files.HostFiles;
import dev.flotilla.agent.host.sysctl.Sysctl;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.digest.Digest;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.WriteFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file on a read-only filesystem (a real read-only tmpfs; needs root, as CI runs) refuses the whole plan before
 * any file is written.
 */
class ReadOnlyHostIT {
  @TempDir
  Path root;
  @TempDir
  Path proc;
  Path mounted;

  @AfterEach
  void tearDown() throws Exception {
    if (mounted != null) {
      run("umount", "-l", mounted.toString());
    }
  }

  @Test
  void aFileOnAReadOnlyFilesystemRefusesThePlan() throws Exception {
    mounted = Files.createDirectories(root.resolve("etc/ro"));
    run("mount", "-t", "tmpfs", "-o", "ro,size=64k,mode=0755", "tmpfs", mounted.toString());
    var plan = new Plan(List.of(write("/etc/motd"), write("/etc/ro/app/app.conf")));

    var result = new Applier(new HostFiles(root, List.of("/etc")), new Sysctl(proc, root)).apply(plan);

    assertThat(result.results().stream().map(r -> r.outcome()).toList())
        .containsExactly(Outcome.SKIPPED, Outcome.FAILED);
    assertThat(result.error()).hasValue("write files: '/etc/ro' is on a read-only filesystem, so "
        + "'/etc/ro/app/app.conf' cannot be created; nothing was written; remount it read-write on the device, or "
        + "change the path in the fleet");
    assertThat(root.resolve("etc/motd")).doesNotExist();
  }

  private static WriteFile write(String path) {
    var bytes = ("content of " + path + "\n").getBytes(UTF_8);
    return new WriteFile(path, bytes, Digest.sha256(bytes).toString(), "0644", null, null, WriteFile.Action.CREATE,
        "not present");
  }

  private static void run(String... command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (this IT needs root): " + output);
    }
  }
}
