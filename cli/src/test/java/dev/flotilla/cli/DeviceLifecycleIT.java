package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device and token commands on a real checkout of the template fleet: each edit one commit, lines kept; a drain
 * is one validated commit, and uncordon reverses it.
 */
class DeviceLifecycleIT {
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

  String lastMessage() throws Exception {
    return fleet.git.log().setMaxCount(1).call().iterator().next().getFullMessage();
  }

  @Test
  void cordonAndUncordonCommitOneLineEach() throws Exception {
    var file = fleet.repo.resolve("tenants/acme-retail/devices/kiosk-berlin-01-a.yaml");
    var before = Files.readString(file);
    var cordon = Run.flotilla("device", "cordon", "kiosk-berlin-01-a", "--repo", repo);
    assertThat(cordon.exitCode()).as(cordon.err()).isZero();
    assertThat(cordon.out()).startsWith("cordoned device 'kiosk-berlin-01-a'; committed ");
    assertThat(lastMessage()).isEqualTo("device kiosk-berlin-01-a: cordon\n");
    assertThat(Files.readString(file)).isEqualTo(before.stripTrailing() + "\n  cordoned: true\n");
    assertThat(fleet.git.status().call().isClean()).isTrue();
    assertThat(Run.flotilla("devices", "--repo", repo, "-l", "store=berlin-01,role=kiosk").out())
        .containsPattern("kiosk-berlin-01-a +acme-retail +dev +yes");
    var uncordon = Run.flotilla("device", "uncordon", "kiosk-berlin-01-a", "--repo", repo);
    assertThat(uncordon.exitCode()).isZero();
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void branchLeavesTheCurrentBranchAlone() throws Exception {
    var head = fleet.git.getRepository().resolve("main");
    var run = Run.flotilla("device", "remove", "pos-berlin-01-1", "--repo", repo, "--branch", "retire-pos");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("on new branch 'retire-pos'; push it and open a pull request");
    assertThat(fleet.git.getRepository().resolve("main")).isEqualTo(head);
    assertThat(fleet.repo.resolve("tenants/acme-retail/devices/pos-berlin-01-1.yaml")).exists();
    assertThat(Run.flotilla("devices", "--repo", repo, "--tenant", "acme-retail", "-o", "json").out())
        .contains("\"name\" : \"pos-berlin-01-1\"").doesNotContain("globex");
  }

  @Test
  void tokenCreateCommitsOnlyTheHashAndPrintsTheTokenOnce() throws Exception {
    var run = Run.flotilla("token", "create", "--repo", repo, "--tenant", "acme-retail", "--name", "hh-03",
        "--labels", "store=hamburg-03", "--channel", "canary", "--ttl", "2h", "--max-uses", "4", "--auto-approve");
    assertThat(run.exitCode()).as(run.err()).isZero();
    var token = run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(token).matches("flt1\\.[A-Za-z0-9_-]{43}\\.[0-9a-f]{16}");
    var file = Files.readString(fleet.repo.resolve("tenants/acme-retail/claim-tokens/hh-03.yaml"));
    assertThat(file).doesNotContain(token).contains("tokenHash: sha256:", "maxUses: 4", "channel: canary",
        "autoApprove: true", "rootKeyFingerprint: sha256:", "    store: hamburg-03\n");
    assertThat(Run.flotilla("validate", repo).exitCode()).isZero();
    assertThat(Run.flotilla("token", "revoke", "hh-03", "--repo", repo).exitCode()).isZero();
    assertThat(Files.readString(fleet.repo.resolve("tenants/acme-retail/claim-tokens/hh-03.yaml")))
        .isEqualTo(file + "  revoked: true\n");
    var unknown = Run.flotilla("device", "cordon", "nope", "--repo", repo);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("flotilla: find device 'nope': no tenants/*/devices/nope.yaml in HEAD;"
        + " see 'flotilla devices' for names\n");
    try (var git = Git.open(fleet.repo.toFile())) {
      assertThat(git.status().call().isClean()).isTrue();
    }
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
    assertThat(lastMessage()).isEqualTo("drain devices matching 'store=berlin-01,role=kiosk'\n");
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
