package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.rollout.GitStatusBranch;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.rollout.RolloutSimulation;
import dev.flotilla.rollout.RolloutStatusFile;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rollout commands on a Git checkout of the template fleet: exit code, stdout and stderr together. */
class RolloutCommandIT {
  static final String ROLLOUT = "tenants/acme-retail/rollouts/kiosk-ui-1-5.yaml";
  @TempDir
  Path repo;
  Git git;
  TemplateCheckout checkout;

  @BeforeEach
  void checkout() throws Exception {
    checkout = TemplateCheckout.commit(repo);
    git = checkout.git();
  }

  Run flotilla(String... args) {
    var all = Stream.concat(Stream.of(args), Stream.of("--repo", repo.toString())).toArray(String[]::new);
    return Run.flotilla(all);
  }

  /** Puts a status on the status branch as a reconciler would: the rollout played with these failures. */
  void recordStatus(Set<String> failing) throws Exception {
    try (var fleet = FleetRepo.local(repo)) {
      var head = fleet.resolve("HEAD");
      var index = FleetIndex.of(new FleetValidator(Clock.systemUTC()).validate(fleet.tree(head.commit())).snapshot());
      var rollout = index.snapshot().rollouts().getFirst().resource();
      var state = RolloutSimulation.run(RolloutRunner.plan(index, rollout, null), failing,
          Instant.parse("2026-11-24T01:30:00Z"));
      var commits = new FleetCommits(fleet.repository(), new PersonIdent("r", "r@example.org"));
      var id = commits.commit(null, List.of(new FileChange.Put(RolloutStatusFile.path("acme-retail", "kiosk-ui-1-5"),
          RolloutStatusFile.write(state))), "status");
      commits.updateRef("refs/heads/" + GitStatusBranch.BRANCH, null, id);
    }
  }

  @Test
  void simulateListsTheWavesFromTheRepoAlone() {
    var run = flotilla("rollout", "simulate", "kiosk-ui-1-5");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("rollout acme-retail/kiosk-ui-1-5: kiosk-ui 1.5.0 to 9 device(s) in 3 wave(s);"
        + " max failure ratio 0.20, health timeout 15m, on breach rollback\n"
        + "wave 1 canary (1 device(s), bake 1h): kiosk-berlin-01-a\n"
        + "wave 2 early (3 device(s), bake 4h): kiosk-berlin-01-b, kiosk-berlin-02-a, ");
    assertThat(flotilla("rollout", "simulate", "kiosk-ui-1-5").out()).isEqualTo(run.out());
  }

  @Test
  void simulateShowsWhatFailuresWouldTrigger() {
    var waves = flotilla("rollout", "simulate", "kiosk-ui-1-5").out().lines().toList();
    var rest = waves.get(3).substring(waves.get(3).indexOf("): ") + 3).split(", ");
    var run = flotilla("rollout", "simulate", "kiosk-ui-1-5", "--fail", rest[0]);
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("FailureRatioReached: wave 'rest': 1 of 5 device(s) failed (ratio 0.20, limit"
        + " 0.20); rolling back 9 updated device(s) to the previous version", "outcome: RolledBack\n");
    assertThat(run.out()).contains("+1h1s     Progressing early      WaveStarted");
  }

  @Test
  void simulateRefusesADeviceOutsideTheWaves() {
    var run = flotilla("rollout", "simulate", "kiosk-ui-1-5", "--fail", "pos-berlin-01-1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("flotilla: simulate rollout acme-retail/kiosk-ui-1-5: [pos-berlin-01-1] not in"
        + " any wave; pick devices from the waves 'flotilla rollout simulate kiosk-ui-1-5' lists\n");
  }

  @Test
  void pauseAndResumeEditTheFileKeepingItsCommentsAndCommit() throws Exception {
    var before = Files.readString(repo.resolve(ROLLOUT));
    var paused = flotilla("rollout", "pause", "kiosk-ui-1-5");
    assertThat(paused.err()).isEmpty();
    assertThat(paused.out()).startsWith("paused rollout acme-retail/kiosk-ui-1-5; committed ");
    var text = Files.readString(repo.resolve(ROLLOUT));
    assertThat(text).startsWith(before.lines().limit(2).map(l -> l + "\n").reduce("", String::concat))
        .contains("  paused: true\n");
    assertThat(git.log().setMaxCount(1).call().iterator().next().getFullMessage())
        .isEqualTo("Paused rollout acme-retail/kiosk-ui-1-5\n");

    assertThat(flotilla("rollout", "resume", "kiosk-ui-1-5").exitCode()).isZero();
    assertThat(Files.readString(repo.resolve(ROLLOUT))).isEqualTo(before);
    assertThat(git.status().call().isClean()).isTrue();
  }

  @Test
  void aCommitTheCheckoutRefusesIsAOneLineErrorWithTheFix() throws Exception {
    assertThat(flotilla("rollout", "pause", "kiosk-ui-1-5", "--branch", "hold-ui").exitCode()).isZero();

    var again = flotilla("rollout", "resume", "kiosk-ui-1-5", "--branch", "hold-ui");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("flotilla: create branch 'hold-ui': it exists; pick another name\n");
  }

  @Test
  void abortGoesToANewBranchWhenAsked() throws Exception {
    var run = flotilla("rollout", "abort", "kiosk-ui-1-5", "--branch", "stop-ui");
    assertThat(run.out()).contains("on new branch 'stop-ui'; push it and open a pull request");
    assertThat(Files.readString(repo.resolve(ROLLOUT))).doesNotContain("aborted");
    try (var fleet = FleetRepo.local(repo)) {
      var text = new String(fleet.tree(fleet.resolve("stop-ui").commit()).read(ROLLOUT, 1 << 20));
      assertThat(text).contains("  aborted: true\n");
    }
  }

  @Test
  void statusReadsTheStatusBranch() throws Exception {
    assertThat(flotilla("rollout", "status", "kiosk-ui-1-5").out())
        .isEqualTo("rollout acme-retail/kiosk-ui-1-5: not started; no reconciler has recorded it on the status branch"
            + " yet\n");
    recordStatus(Set.of());
    var run = flotilla("rollout", "status", "acme-retail/kiosk-ui-1-5");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("rollout acme-retail/kiosk-ui-1-5: Succeeded, kiosk-ui 1.5.0, wave 3 of 3 'rest'")
        .contains("  canary       1 device(s), 1 updated, started 2026-11-24T01:30:00Z")
        .contains("Succeeded   rest       5 ok, 0 failed, 0 pending, ratio 0.00  AllWavesHealthy: every wave healthy;"
            + " 9 device(s) run version 1.5.0");
    assertThat(flotilla("status").out()).contains("kiosk-ui 1.5.0", "acme-retail/kiosk-ui-1-5")
        .contains("Succeeded, wave 3 of 3 'rest', 9 device(s) updated");
  }

  @Test
  void rollbackOfARolloutPinsThePreviousVersionOnEveryUpdatedDevice() throws Exception {
    recordStatus(Set.of());
    var run = flotilla("rollback", "kiosk-ui-1-5");
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("roll back rollout acme-retail/kiosk-ui-1-5 on 8 device(s); committed "); // kiosk-hamburg-01-b pins kiosk-ui already
    var device = Files.readString(repo.resolve("tenants/acme-retail/devices/kiosk-berlin-01-a.yaml"));
    assertThat(device).contains("  pins:\n    - artifact: kiosk-ui\n      version: \"1.4.0\"\n"
        + "      reason: rollback of rollout acme-retail/kiosk-ui-1-5\n");
    assertThat(Run.flotilla("validate", repo.toString()).exitCode()).isZero();
    assertThat(flotilla("status").out()).contains(String.format("  %-40s %d%n", "kiosk-ui 1.4.0", 10))
        .doesNotContain(String.format("  %-40s", "kiosk-ui 1.5.0"));
  }

  @Test
  void rollbackOfADeviceNoRolloutTouchedSaysSo() {
    var run = flotilla("rollback", "pos-berlin-01-1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("flotilla: roll back 'pos-berlin-01-1': no rollout gave it another version than"
        + " its policies; nothing to pin\n");
  }

  @Test
  void createWritesAValidRolloutAndCommitsIt() throws Exception {
    var run = flotilla("rollout", "create", "kiosk-ui-1-4", "--tenant", "acme-retail", "--artifact", "kiosk-ui@1.4.0",
        "--selector", "role=kiosk", "--wave", "canary:1:1h", "--wave", "early:30%:4h", "--wave", "rest::1d",
        "--on-breach", "pause");
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("wrote tenants/acme-retail/rollouts/kiosk-ui-1-4.yaml; committed ");
    assertThat(Files.readString(repo.resolve("tenants/acme-retail/rollouts/kiosk-ui-1-4.yaml")))
        .contains("    - name: early\n      percent: 30\n      bakeTime: \"4h\"\n", "  onBreach: pause\n");
    assertThat(Run.flotilla("validate", repo.toString()).exitCode()).isZero();
    assertThat(flotilla("rollout", "simulate", "kiosk-ui-1-4").out()).contains("wave 3 rest (5 device(s), bake 1d)");
  }

  @Test
  void createTakesSelectorsAsTheOtherCommandsDo() throws Exception {
    var run = flotilla("rollout", "create", "q", "--tenant", "acme-retail", "--artifact", "kiosk-ui@1.4.0",
        "-l", "role=kiosk,store=berlin-01", "--wave", "all");
    var not = flotilla("rollout", "create", "r", "--tenant", "acme-retail", "--artifact", "kiosk-ui@1.4.0",
        "-l", "role!=kiosk", "--wave", "all");

    assertThat(run.err()).isEmpty();
    assertThat(Files.readString(repo.resolve("tenants/acme-retail/rollouts/q.yaml")))
        .contains("    matchLabels:\n      role: kiosk\n      store: berlin-01\n");
    assertThat(not).isEqualTo(new Run(2, "", "flotilla: create rollout: --selector 'role!=kiosk': a rollout selects"
        + " by equal labels only; use K=V\n"));
  }

  @Test
  void createRefusesAnUnknownArtifactVersion() {
    var run = flotilla("rollout", "create", "x", "--tenant", "acme-retail", "--artifact", "kiosk-ui@9.9.9",
        "--wave", "all");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("flotilla: create rollout: no artifact 'kiosk-ui@9.9.9'; add"
        + " artifacts/kiosk-ui/9.9.9.yaml first\n");
  }

  static Stream<Arguments> refusedCreations() {
    return Stream.of(
        Arguments.of(List.of("--wave", "all", "--wave", "all"), List.of(
            "--wave 'all': wave 'all' sets neither count nor percent; only the last wave may leave both out, to take"
                + " the remaining devices",
            "--wave 'all': wave name 'all' is used twice; rename one")),
        Arguments.of(List.of("--wave", "a:150%:1h"), List.of(
            "--wave 'a:150%:1h': percent must have a maximum value of 100")),
        Arguments.of(List.of("--wave", "a:60%", "--wave", "b:60%", "--wave", "rest"), List.of(
            "--wave: wave percents add up to 120%, more than 100%; each percent is the share of the selected devices"
                + " that wave updates")),
        Arguments.of(List.of("--wave", "all", "--channel", "beta"), List.of(
            "--channel 'beta': 'beta' is not one of dev, canary, prod")),
        Arguments.of(List.of("--wave", "all", "--on-breach", "explode"), List.of(
            "--on-breach 'explode': 'explode' is not one of rollback, pause")));
  }

  @ParameterizedTest
  @MethodSource("refusedCreations")
  void createRefusesARolloutTheFleetChecksRejectNamingTheFlag(List<String> options, List<String> lines)
      throws Exception {
    var head = checkout.head();
    var args = new java.util.ArrayList<>(List.of("rollout", "create", "q", "--tenant", "acme-retail", "--artifact",
        "kiosk-ui@1.5.0"));
    args.addAll(options);

    var run = flotilla(args.toArray(String[]::new));

    assertThat(run).isEqualTo(new Run(2, "", String.join("", lines.stream()
        .map(line -> "flotilla: create rollout: " + line + "\n").toList())));
    assertThat(repo.resolve("tenants/acme-retail/rollouts/q.yaml")).doesNotExist();
    checkout.assertUntouchedSince(head);
    assertThat(flotilla("rollout", "simulate", "kiosk-ui-1-5").exitCode()).isZero();
  }
}
