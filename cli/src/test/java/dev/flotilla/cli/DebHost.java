package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.rig.NspawnContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A booted Debian 12 container on the host's network for the package ITs, beside the claim rig's fleet (a
 * reconciler on loopback the test may start), with both revisions of one package copied in as
 * {@code /var/cache/flotilla-debs/<name>-<revision>.deb}. {@link #close()} stops both.
 */
final class DebHost implements AutoCloseable {
  final ClaimRig rig;
  final NspawnContainer container;

  DebHost(Path work, String machine) throws Exception {
    rig = new ClaimRig(work);
    NspawnContainer booted = null;
    try {
      booted = NspawnContainer.bootOnHostNetwork(machine);
    } finally {
      if (booted == null) {
        rig.close();
      }
    }
    container = booted;
  }

  /** Copies both revisions of {@code name} into the container. */
  DebHost withPackage(String name) throws Exception {
    var debs = BuiltDebs.get();
    var dir = Files.createDirectories(root().resolve("var/cache/flotilla-debs"));
    for (int revision = 1; revision <= 2; revision++) {
      Files.copy(debs.deb(name, revision), dir.resolve(name + "-" + revision + ".deb"));
    }
    return this;
  }

  Path root() {
    return container.hostRoot();
  }

  /** Runs {@code command} with sh inside the container; its output (stdout and stderr), stripped. */
  String inside(String command) throws Exception {
    return container.exec("sh", "-c", command).output().strip();
  }

  /** Waits until {@code condition} holds; fails after 4 minutes (a hang guard on a loaded machine). */
  static void eventually(Callable<Boolean> condition) throws Exception {
    var deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition within 4 minutes").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      container.close();
    } finally {
      rig.close();
    }
  }
}
