package dev.flotilla.agent.rig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The rig itself: several containers from one read-only rootfs, isolated from each other, all stopped on close. */
class NspawnContainerIT {

  @Test
  void bootsSeveralIsolatedContainersFromOneRootfsAndStopsThemAll() throws Exception {
    var roots = new ArrayList<Path>();
    try (var group = NspawnContainer.boot("flotilla-rig", 3)) {
      for (var c : group.containers()) {
        roots.add(c.hostRoot());
        Files.writeString(c.hostRoot().resolve("etc/who"), c.name());
      }

      assertThat(group.containers()).extracting(NspawnContainer::name)
          .containsExactly("flotilla-rig1", "flotilla-rig2", "flotilla-rig3");
      assertThat(group.containers()).extracting(NspawnContainer::busAddress).doesNotHaveDuplicates();
      for (var c : group.containers()) {
        assertThat(c.exec("cat", "/etc/who").output()).isEqualTo(c.name());
        assertThat(c.exec("systemctl", "is-system-running").output().strip()).isIn("running", "degraded");
      }
    }
    assertThat(NspawnContainer.ROOTFS.resolve("etc/who")).doesNotExist();
    for (var root : roots) {
      assertThat(root).doesNotExist();
    }
  }

  @Test
  void leavesNoBusDirectoryOrLogBehind() throws Exception {
    Path busDir;
    try (var container = NspawnContainer.boot("flotilla-rig-tmp")) {
      busDir = Path.of(container.busAddress().substring("unix:path=".length())).getParent();
      assertThat(busDir.resolve("containers")).as("dbus's own directory in the bus directory").isDirectory();
    }

    assertThat(busDir).doesNotExist();
    assertThat(busDir.resolveSibling(busDir.getFileName() + ".log")).doesNotExist();
  }
}
