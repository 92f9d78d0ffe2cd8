package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla device drain} on a real checkout of the template fleet: one validated commit, uncordon reverses. */
class DeviceDrainIT {
  @TempDir
  Path work;
  LiveFleet fleet;
  String repo;

  @BeforeEach
  void checkout() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.commit("Seed");
    repo = fleet.repo.toString();
  }

  @AfterEach
  void close() throws Exception {
    fleet.close();
  }

  @Test
  void drainCordonsAndAsksTheAgentToDrainAndUncordonReversesBoth() throws Exception {
    var file = fleet.repo.resolve("tenants/acme-retail/devices/kiosk-berlin-01-a.yaml");
    var before = Files.readString(file);

    var drain = Run.flotilla("device", "drain", "kiosk-berlin-01-a", "--repo", repo);

    assertThat(drain.exitCode()).as(drain.err()).isZero();
    assertThat(drain.out()).startsWith("drained 1 device(s) (device 'kiosk-berlin-01-a'); committed ");
    assertThat(Files.readString(file)).isEqualTo(before.stripTrailing() + "\n  cordoned: true\n  drain: true\n");
    assertThat(fleet.git.status().call().isClean()).isTrue();
    assertThat(Run.flotilla("devices", "--repo", repo, "-l", "store=berlin-01,role=kiosk").out())
        .containsPattern("kiosk-berlin-01-a +acme-retail +dev +drain ");
    assertThat(Run.flotilla("validate", repo).exitCode()).isZero();

    assertThat(Run.flotilla("device", "uncordon", "kiosk-berlin-01-a", "--repo", repo).exitCode()).isZero();
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void aSelectorDrainsEveryMatchingDeviceInOneCommit() throws Exception {
    var drain = Run.flotilla("device", "drain", "-l", "store=berlin-01,role=kiosk", "--repo", repo);

    assertThat(drain.exitCode()).as(drain.err()).isZero();
    assertThat(drain.out()).startsWith("drained 2 device(s) (devices matching 'store=berlin-01,role=kiosk'); ");
    assertThat(fleet.git.log().setMaxCount(1).call().iterator().next().getFullMessage())
        .isEqualTo("drain devices matching 'store=berlin-01,role=kiosk'\n");
    assertThat(Files.readString(fleet.repo.resolve("tenants/acme-retail/devices/kiosk-berlin-01-b.yaml")))
        .endsWith("  cordoned: true\n  drain: true\n");
  }

  @Test
  void refusesNeitherOrBothOfIdAndSelectorAndASelectorMatchingNothing() {
    var neither = Run.flotilla("device", "drain", "--repo", repo);
    assertThat(neither.err()).isEqualTo("flotilla: drain: name one device ID or give -l SELECTOR\n");
    assertThat(neither.exitCode()).isEqualTo(2);

    var none = Run.flotilla("device", "drain", "-l", "store=nowhere", "--repo", repo);
    assertThat(none.err()).isEqualTo("flotilla: drain: no device matches 'store=nowhere'; list them with "
        + "'flotilla devices -l store=nowhere'\n");
    assertThat(none.exitCode()).isEqualTo(1);
  }
}
