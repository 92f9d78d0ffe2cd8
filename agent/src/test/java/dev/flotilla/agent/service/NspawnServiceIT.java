package dev.flotilla.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.TestDevice;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped unit under a real systemd, booted in {@code systemd-nspawn} from a Debian rootfs (made with
 * debootstrap on first use, kept under {@value #ROOTFS}): it starts as {@code Type=notify}, and with only its
 * capability bounding set it corrects a file's content and owner and a {@code net.*} sysctl key, then stops cleanly.
 */
class NspawnServiceIT {
  static final Path ROOTFS = Path.of("/var/cache/flotilla-test/rootfs");
  @TempDir
  Path dir;
  Process nspawn;
  long leader;

  @AfterEach
  void stop() throws Exception {
    if (nspawn != null) {
      nspawn.destroy();
      if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
        nspawn.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void runsHardenedUnderSystemdAndCorrectsDrift() throws Exception {
    ensureRootfs();
    var device = new TestDevice(dir.resolve("device"));
    var opt = installTree(dir.resolve("opt"));
    var etc = Files.createDirectories(dir.resolve("etc"));
    Files.write(etc.resolve("root.json"), device.rootJson());
    Keys.writePrivate(etc.resolve("device.key"), device.deviceKey.getPrivate());
    Files.writeString(etc.resolve("agent.yaml"), String.join("\n", "server: http://127.0.0.1:9", "device: kiosk-1",
        "privateKey: /etc/flotilla/device.key", "trustRoot: /etc/flotilla/root.json", "stateDir: /var/lib/flotilla",
        "hostRoot: /", "procRoot: /proc", "allowedPaths: [/etc/bench]", ""));
    boot(opt, etc);
    var root = Path.of("/proc/" + leader + "/root");
    var payload = TestDevice.payload(1, Map.of("/etc/bench/motd", "managed\n"), Map.of("net.ipv4.ip_forward", "1"));
    payload.setIdentityHash(IdentityReader.hash(Files.readString(root.resolve("etc/machine-id")).strip()));
    payload.getState().getFiles().getFirst().setOwner("nobody");
    Files.write(etc.resolve("bundle.json"), device.signed(payload));
    Files.copy(Path.of("..", "packaging", "flotilla-agent.service"), root.resolve("etc/systemd/system/flotilla-agent.service"));

    assertThat(inside("/opt/flotilla-agent/bin/flotilla-agent apply --bundle /etc/flotilla/bundle.json"
        + " -c /etc/flotilla/agent.yaml")).contains("version 1: " + PassOutcome.APPLIED.reason() + ": 3 change(s)");
    assertThat(inside("systemctl daemon-reload && systemctl start flotilla-agent && systemctl is-active flotilla-agent"))
        .isEqualTo("active");
    assertThat(inside("grep CapBnd /proc/$(systemctl show -p MainPID --value flotilla-agent)/status"))
        .isEqualTo("CapBnd:\t000000000020100f");

    var motd = root.resolve("etc/bench/motd");
    Files.writeString(motd, "tampered\n");
    inside("chown root /etc/bench/motd; echo 0 > /proc/sys/net/ipv4/ip_forward");
    eventually(() -> Files.readString(motd).equals("managed\n") && inside("stat -c %U /etc/bench/motd").equals("nobody"));
    eventually(() -> inside("cat /proc/sys/net/ipv4/ip_forward").equals("1"));

    assertThat(inside("systemctl stop flotilla-agent; systemctl show -p Result --value flotilla-agent")).isEqualTo("success");
    assertThat(inside("journalctl -u flotilla-agent --no-pager")).contains("drift file:/etc/bench/motd (enforce)",
        "drift sysctl:net.ipv4.ip_forward (enforce): expected 1; actual 0");
  }

  /** The tarball's layout: bin/flotilla-agent and lib/ with the agent jar and its dependencies. */
  private static Path installTree(Path opt) throws IOException {
    var bin = Files.createDirectories(opt.resolve("bin"));
    var lib = Files.createDirectories(opt.resolve("lib"));
    Files.copy(Path.of("..", "packaging", "bin", "flotilla-agent"), bin.resolve("flotilla-agent"));
    Files.setPosixFilePermissions(bin.resolve("flotilla-agent"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(Path.of("target", "flotilla-agent.jar"), lib.resolve("flotilla-agent.jar"));
    try (var jars = Files.list(Path.of("target", "lib"))) {
      for (var jar : jars.toList()) {
        Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return opt;
  }

  private void boot(Path opt, Path etc) throws Exception {
    var javaHome = Path.of(System.getProperty("java.home")).toRealPath();
    nspawn = new ProcessBuilder("systemd-nspawn", "-q", "-D", ROOTFS.toString(), "-M", "flotilla-it-" + ProcessHandle.current().pid(),
        "--boot", "--register=no", "--keep-unit", "--read-only", "--volatile=overlay", "--private-network",
        "--bind-ro=" + javaHome + ":/usr/lib/jvm/" + javaHome.getFileName(), "--bind-ro=" + opt + ":/opt/flotilla-agent",
        "--bind-ro=" + etc + ":/etc/flotilla", "--console=read-only")
        .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
    eventually(() -> nspawn.children().findFirst().isPresent());
    leader = nspawn.children().findFirst().orElseThrow().pid();
    eventually(() -> List.of("running", "degraded").contains(inside("systemctl is-system-running")));
  }

  /** Runs {@code command} with sh inside the container; its output, stripped. */
  private String inside(String command) throws IOException, InterruptedException {
    var process = new ProcessBuilder("nsenter", "-t", Long.toString(leader), "-a", "sh", "-c", command)
        .redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return Pattern.compile("(?m)^SLF4J.*\\n?").matcher(output).replaceAll("").strip();
  }

  private static void ensureRootfs() throws Exception {
    if (Files.isExecutable(ROOTFS.resolve("usr/lib/systemd/systemd"))) {
      return;
    }
    var mirror = Files.readAllLines(Path.of("/etc/apt/sources.list.d/debian.sources")).stream()
        .filter(l -> l.startsWith("URIs:")).findFirst().orElseThrow().substring(5).strip().split(" ")[0];
    var partial = ROOTFS.resolveSibling("rootfs.partial-" + ProcessHandle.current().pid());
    run(List.of("debootstrap", "--variant=minbase", "--include=systemd,systemd-sysv,dbus", "bookworm",
        partial.toString(), mirror));
    for (var unit : List.of("console-getty.service", "getty@.service")) {
      Files.deleteIfExists(partial.resolve("etc/systemd/system/" + unit));
      Files.createSymbolicLink(partial.resolve("etc/systemd/system/" + unit), Path.of("/dev/null"));
    }
    Files.move(partial, ROOTFS, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void run(List<String> command) throws Exception {
    var process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }

  /** Waits until {@code condition} holds; fails after 60 s (a hang guard, not a performance limit). */
  private static void eventually(Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(condition.call()).as("condition within 60 s").isTrue();
  }
}
