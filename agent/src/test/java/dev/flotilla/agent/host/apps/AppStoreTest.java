package dev.flotilla.agent.host.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppStoreTest {
  @TempDir
  Path dir;

  @Test
  void switchesCurrentAndKeepsOnlyTheNewestVersions() throws IOException {
    var store = new AppStore(dir, "/var/lib/flotilla/apps");
    for (int i = 1; i <= 4; i++) {
      var version = Files.createDirectories(store.version("menu", i + ".0"));
      Files.setLastModifiedTime(version, FileTime.fromMillis(i * 1000L));
    }

    store.switchTo("menu", "2.0");
    store.switchTo("menu", "4.0");
    store.prune("menu", 2);

    assertThat(Files.readSymbolicLink(dir.resolve("menu/current"))).hasToString("4.0");
    assertThat(store.observe("menu").installed()).containsExactly("3.0", "4.0");
    assertThat(store.observe("menu").current()).isEqualTo("4.0");
  }

  @Test
  void removesTheScratchAnInterruptedInstallLeftAndNothingElse() throws IOException {
    var store = new AppStore(dir, "/var/lib/flotilla/apps");
    Files.createDirectories(store.version("menu", "1.0"));
    store.switchTo("menu", "1.0");
    store.markFailed("menu", "0.9", "unhealthy");
    Files.writeString(store.scratch("menu", "download-2.0"), "half an artifact");
    Files.createDirectories(store.scratch("menu", "unpack-2.0").resolve("bin"));
    Files.writeString(store.scratch("menu", "unpack-2.0").resolve("bin/menu"), "binary");
    Files.createSymbolicLink(store.scratch("menu", "current.next"), Path.of("2.0"));
    var outside = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-outside"));
    Files.writeString(outside.resolve(".download-3.0"), "not the agent's");
    Files.createSymbolicLink(dir.resolve("linked"), outside);

    var removed = store.removeScratch();

    assertThat(removed).containsExactlyInAnyOrder("/var/lib/flotilla/apps/menu/.download-2.0",
        "/var/lib/flotilla/apps/menu/.unpack-2.0", "/var/lib/flotilla/apps/menu/.current.next");
    try (var left = Files.list(dir.resolve("menu"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1.0", "current",
          ".failed-0.9");
    }
    assertThat(outside.resolve(".download-3.0")).exists();
  }

  @Test
  void remembersAVersionThatFailedItsHealthCheck() throws IOException {
    var store = new AppStore(dir, "/var/lib/flotilla/apps");
    Files.createDirectories(store.version("menu", "2.0"));

    store.markFailed("menu", "2.0", "unit 'flotilla-app-menu.service' restarted");

    assertThat(store.observe("menu").failed()).containsEntry("2.0", "unit 'flotilla-app-menu.service' restarted");
    assertThat(store.observe("menu").installed()).containsExactly("2.0");
    assertThat(store.deviceCurrent("menu")).isEqualTo("/var/lib/flotilla/apps/menu/current");
  }
}
