package dev.flotilla.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.TestDevice;
import dev.flotilla.agent.host.files.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real inotify watch (the JDK's WatchService) on a temp host root, and a fake procfs directory. */
class DriftWatcherTest {
  @TempDir
  Path dir;
  TestDevice device;
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  final List<String> log = new ArrayList<>();
  DriftWatcher watcher;

  @BeforeEach
  void setUp() throws IOException {
    device = new TestDevice(dir);
    watcher = new DriftWatcher(device.files(), device.sysctl(), events::add, log::add);
  }

  @AfterEach
  void tearDown() throws IOException {
    watcher.close();
  }

  @Test
  void seesAnEditorThatSavesByRenamingOverTheFile() throws Exception {
    var motd = Files.writeString(device.host.resolve("etc/motd"), "hello\n");
    watcher.watch(new WatchSet(Set.of("/etc/motd"), Map.of(), Duration.ZERO, Duration.ZERO));

    var temp = Files.writeString(device.host.resolve("etc/.motd.swp"), "edited\n");
    Files.move(temp, motd, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    assertThat(next()).isEqualTo("file:/etc/motd");
    // the file is a new inode now; the directory watch still sees the next change
    events.clear();
    Files.writeString(motd, "again\n");
    assertThat(next()).isEqualTo("file:/etc/motd");
    assertThat(log).isEmpty();
  }

  @Test
  void noticesTheAgentsSysctlFileDeletedOutsideTheAllowedPaths() throws Exception {
    var sysctlFile = device.host.resolve("etc/sysctl.d/90-flotilla.conf");
    Files.createDirectories(sysctlFile.getParent());
    Files.writeString(sysctlFile, "net.ipv4.ip_forward = 1\n");
    var set = WatchSet.of(TestDevice.payload(1, Map.of("/etc/motd", "hi\n"), Map.of("net.ipv4.ip_forward", "1")));
    try (var onlyMotd = new DriftWatcher(new HostFiles(device.host, List.of("/etc/motd")), device.sysctl(),
        events::add, log::add)) {
      onlyMotd.watch(set);

      Files.delete(sysctlFile);

      assertThat(set.files()).containsExactlyInAnyOrder("/etc/motd", "/etc/sysctl.d/90-flotilla.conf");
      assertThat(next()).isEqualTo("file:/etc/sysctl.d/90-flotilla.conf");
      assertThat(log).isEmpty();
    }
  }

  @Test
  void ignoresOtherFilesInTheSameDirectory() throws Exception {
    Files.writeString(device.host.resolve("etc/motd"), "hello\n");
    watcher.watch(new WatchSet(Set.of("/etc/motd"), Map.of(), Duration.ZERO, Duration.ZERO));

    Files.writeString(device.host.resolve("etc/hosts"), "127.0.0.1 localhost\n");
    Files.delete(device.host.resolve("etc/motd"));

    assertThat(next()).isEqualTo("file:/etc/motd");
    // one inotify queue keeps the order: an event for hosts would have come first
    assertThat(events).allMatch("file:/etc/motd"::equals);
  }

  @Test
  void watchesAMissingDirectoryThroughItsNearestAncestor() throws Exception {
    watcher.watch(new WatchSet(Set.of("/etc/app/conf.d/app.conf"), Map.of(), Duration.ZERO, Duration.ZERO));

    Files.createDirectories(device.host.resolve("etc/app"));

    assertThat(next()).isEqualTo("file:/etc/app/conf.d/app.conf");
  }

  @Test
  void stopsWatchingFilesNoLongerDeclared() throws Exception {
    Files.createDirectories(device.host.resolve("etc/a"));
    watcher.watch(new WatchSet(Set.of("/etc/a/one"), Map.of(), Duration.ZERO, Duration.ZERO));
    watcher.watch(new WatchSet(Set.of("/etc/two"), Map.of(), Duration.ZERO, Duration.ZERO));

    Files.writeString(device.host.resolve("etc/a/one"), "x");
    Files.writeString(device.host.resolve("etc/two"), "y");

    assertThat(next()).isEqualTo("file:/etc/two");
    // a write can come as several inotify events; none is for the file no longer watched
    assertThat(events).allMatch("file:/etc/two"::equals);
  }

  @Test
  void reportsASysctlKeyOncePerDriftedValue() throws Exception {
    device.procKey("vm.swappiness", "10");
    watcher.watch(new WatchSet(Set.of(), Map.of("vm.swappiness", "10"), Duration.ZERO, Duration.ZERO));

    watcher.checkSysctl();
    assertThat(events).isEmpty();

    device.procKey("vm.swappiness", "60");
    watcher.checkSysctl();
    watcher.checkSysctl();
    assertThat(events).containsExactly("sysctl:vm.swappiness");

    device.procKey("vm.swappiness", "70");
    watcher.checkSysctl();
    assertThat(events).containsExactly("sysctl:vm.swappiness", "sysctl:vm.swappiness");
  }

  @Test
  void pollsSysctlAtTheBundlesInterval() throws Exception {
    device.procKey("net.ipv4.ip_forward", "0");
    watcher.watch(new WatchSet(Set.of(), Map.of("net.ipv4.ip_forward", "1"), Duration.ofMillis(20), Duration.ZERO));

    assertThat(next()).isEqualTo("sysctl:net.ipv4.ip_forward");
  }

  @Test
  void logsAFileItMayNotWatch() {
    watcher.watch(new WatchSet(Set.of("/usr/bin/x"), Map.of(), Duration.ZERO, Duration.ZERO));

    assertThat(log).singleElement().asString().startsWith("watch file '/usr/bin/x': ")
        .endsWith("; drift of it is found by the periodic pass only");
  }

  private String next() throws InterruptedException {
    var event = events.poll(30, TimeUnit.SECONDS);
    assertThat(event).as("a change event").isNotNull();
    return event;
  }
}
