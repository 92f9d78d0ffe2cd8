package dev.flotilla.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.telemetry.HostSample.Filesystem;
import dev.flotilla.agent.telemetry.HostSample.Pressure;
import dev.flotilla.agent.telemetry.HostSample.Thermal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host readers against a fixture tree copied from a Debian 12 virtual machine's /proc (PSI on, cgroup v1
 * mounts, no thermal zones there: the two zones are in the kernel's sysfs format, made by hand).
 */
class HostReaderTest {
  static final Path FIXTURE = Path.of("src/test/resources/telemetry/debian12-vm");
  static final DiskSpace DISKS = mount -> new DiskSpace.Usage(1000, mount.equals("/") ? 250 : 900);
  @TempDir
  Path tree;

  HostSample read() throws IOException {
    return new HostReader(tree.resolve("proc"), tree.resolve("sys"), DISKS).read();
  }

  @Test
  void readsEveryPartOfARealProcTree() throws IOException {
    var sample = new HostReader(FIXTURE.resolve("proc"), FIXTURE.resolve("sys"), DISKS).read();

    assertThat(sample.cpuSeconds()).containsEntry("user", 15124.12).containsEntry("idle", 4853.93)
        .containsEntry("steal", 1.88).hasSize(8);
    assertThat(sample.memory()).isEqualTo(new HostSample.Memory(24683772L * 1024, 23874760L * 1024));
    assertThat(sample.load()).containsExactly(4.94, 2.59, 2.05);
    assertThat(sample.pressure()).containsExactly(Map.entry("cpu", new Pressure(58.75, 62.99, 7086.020248)),
        Map.entry("memory", new Pressure(0, 0, 0)), Map.entry("io", new Pressure(0.00, 0.20, 85.464977)));
    assertThat(sample.thermal()).containsExactly(new Thermal("thermal_zone0", "x86_pkg_temp", 47.0),
        new Thermal("thermal_zone1", "acpitz", 27.8));
    assertThat(sample.uptimeSeconds()).isEqualTo(10673.91);
    assertThat(sample.bootTime()).isEqualTo(1796676362L);
    assertThat(sample.oomKills()).isZero();
    assertThat(sample.filesystems()).containsExactly(new Filesystem("/", "/dev/vda", "ext4", 1000, 250));
  }

  @Test
  void leavesOutWhatOlderKernelsAndVirtualMachinesLack() throws IOException {
    copyFixture();
    delete(tree.resolve("proc/pressure"));
    delete(tree.resolve("sys"));
    var vmstat = tree.resolve("proc/vmstat");
    Files.writeString(vmstat, Files.readString(vmstat).replaceAll("(?m)^oom_kill .*\n", ""));

    var sample = read();

    assertThat(sample.pressure()).isEmpty();
    assertThat(sample.thermal()).isEmpty();
    assertThat(sample.oomKills()).isNull();
    assertThat(sample.memory().totalBytes()).isPositive();
  }

  @Test
  void measuresOnlyWritableBlockFilesystemsOncePerDevice() throws IOException {
    copyFixture();
    Files.writeString(tree.resolve("proc/mounts"), """
        /dev/vda / ext4 rw,relatime 0 0
        proc /proc proc rw,relatime 0 0
        tmpfs /run tmpfs rw,nosuid,nodev 0 0
        overlay /var/lib/docker/overlay2/x/merged overlay rw,relatime 0 0
        /dev/loop0 /snap/core/1 squashfs ro,nodev,relatime 0 0
        /dev/vdb1 /var/lib/flotilla xfs rw,relatime 0 0
        /dev/vda /srv\\040data ext4 rw,relatime 0 0
        /dev/vdc1 /media/usb\\040stick vfat rw,relatime 0 0
        """);
    var filesystems = tree.resolve("proc/filesystems");
    Files.writeString(filesystems, Files.readString(filesystems) + "\tvfat\n");

    assertThat(read().filesystems()).extracting(Filesystem::mountPoint)
        .containsExactly("/", "/var/lib/flotilla", "/media/usb stick");
  }

  @Test
  void keepsTheNumberOfFilesystemsBounded() throws IOException {
    copyFixture();
    var mounts = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      mounts.append("/dev/sd").append(i).append(" /data/").append(i).append(" ext4 rw 0 0\n");
    }
    Files.writeString(tree.resolve("proc/mounts"), mounts);

    assertThat(read().filesystems()).hasSize(HostReader.MAX_FILESYSTEMS);
  }

  @Test
  void leavesOutAMountThatCannotBeMeasured() throws IOException {
    copyFixture();
    Files.writeString(tree.resolve("proc/mounts"), "/dev/vda / ext4 rw 0 0\n/dev/vdb /gone ext4 rw 0 0\n");
    DiskSpace disks = mount -> {
      if (mount.equals("/gone")) {
        throw new java.nio.file.NoSuchFileException(mount);
      }
      return new DiskSpace.Usage(10, 5);
    };

    var sample = new HostReader(tree.resolve("proc"), tree.resolve("sys"), disks).read();

    assertThat(sample.filesystems()).extracting(Filesystem::mountPoint).containsExactly("/");
  }

  @Test
  void namesTheTreeWhenAFileIsNotInTheKernelsFormat() throws IOException {
    copyFixture();
    Files.writeString(tree.resolve("proc/loadavg"), "high\n");

    assertThatThrownBy(this::read).isInstanceOf(IOException.class)
        .hasMessageStartingWith("read host telemetry under '" + tree.resolve("proc") + "': unexpected format");
  }

  @Test
  void measuresTheBusyShareBetweenTwoSamples() {
    var before = sample(Map.of("user", 100.0, "system", 20.0, "idle", 800.0, "iowait", 80.0));
    var after = sample(Map.of("user", 130.0, "system", 30.0, "idle", 850.0, "iowait", 90.0));

    assertThat(after.busySince(before)).isEqualTo(0.4);
    assertThat(after.busySince(after)).isNaN();
  }

  static HostSample sample(Map<String, Double> cpu) {
    return new HostSample(cpu, new HostSample.Memory(0, 0), new double[3], Map.of(), java.util.List.of(), 0, 0, null,
        java.util.List.of());
  }

  void copyFixture() throws IOException {
    try (Stream<Path> walk = Files.walk(FIXTURE)) {
      for (var source : walk.toList()) {
        var target = tree.resolve(FIXTURE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
