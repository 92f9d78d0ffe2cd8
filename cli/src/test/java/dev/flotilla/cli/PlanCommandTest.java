package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.GitStatusBranch;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.RolloutStatusFile;
import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  @TempDir
  Path work;

  @Test
  void printsPerDeviceChangesGroupedWithTheBlastRadiusAndExits3() throws Exception {
    try (var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work)) {
      fleet.commit("Template");
      var policy = fleet.repo.resolve("tenants/acme-retail/policies/pos.yaml");
      Files.writeString(policy, Files.readString(policy).replace("net.ipv4.ip_forward: \"1\"", "net.ipv4.ip_forward: \"0\""));
      fleet.commit("POS terminals stop forwarding");

      var run = Run.flotilla("plan", "--repo", fleet.repo.toString(), "--base", "HEAD~1", "--head", "HEAD");

      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("6 device(s): acme-retail/pos-berlin-01-1, ")
          .contains("\n  ~ sysctl net.ipv4.ip_forward 1 -> 0\n")
          .endsWith("blast radius: 6 of 23 devices, 1 tenant(s) (" + run.out().substring(run.out().lastIndexOf('(') + 1));
      assertThat(run.exitCode()).isEqualTo(3);

      var same = Run.flotilla("plan", "--repo", fleet.repo.toString(), "--base", "HEAD", "--head", "HEAD");
      assertThat(same.out()).startsWith("no device changes between ");
      assertThat(same.exitCode()).isEqualTo(0);
    }
  }

  @Test
  void refusesAnInvalidHeadNamingTheProblem() throws Exception {
    try (var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work)) {
      fleet.commit("Template");
      var device = fleet.repo.resolve("tenants/acme-retail/devices/pos-berlin-01-1.yaml");
      Files.writeString(device, Files.readString(device).replace("channel: canary", "channel: beta"));
      fleet.commit("Typo");

      var run = Run.flotilla("plan", "--repo", fleet.repo.toString());

      assertThat(run.err()).contains("head ").contains("is invalid; devices would keep their bundles")
          .contains("pos-berlin-01-1.yaml");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(List.of(run.out())).containsExactly("");
    }
  }

  @Test
  void anInvalidBaseIsComparedAsTheNewestValidCommitBeforeIt() throws Exception {
    try (var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work)) {
      var good = fleet.commit("Template").substring(0, 12);
      var device = fleet.repo.resolve("tenants/acme-retail/devices/pos-berlin-01-1.yaml");
      var valid = Files.readString(device);
      Files.writeString(device, valid.replace("channel: canary", "channel: beta"));
      var typo = fleet.commit("Typo").substring(0, 12);
      var policy = fleet.repo.resolve("tenants/acme-retail/policies/pos.yaml");
      Files.writeString(device, valid);
      Files.writeString(policy,
          Files.readString(policy).replace("net.ipv4.ip_forward: \"1\"", "net.ipv4.ip_forward: \"0\""));
      fleet.commit("Fix the typo; POS terminals stop forwarding");

      var run = Run.flotilla("plan", "--repo", fleet.repo.toString(), "--base", "HEAD~1", "--head", "HEAD");

      assertThat(run.err()).isEqualTo("flotilla: plan: base " + typo + " is invalid (1 error(s); the reconciler"
          + " refused it); comparing with " + good + ", the newest valid commit before it, which devices are on\n");
      assertThat(run.out()).startsWith("6 device(s): acme-retail/pos-berlin-01-1, ")
          .contains("\n  ~ sysctl net.ipv4.ip_forward 1 -> 0\n").doesNotContain("new bundle")
          .contains("(" + good + "..");
      assertThat(run.exitCode()).isEqualTo(3);
    }
  }

  /** The template fleet, then a commit turning forwarding off on the POS terminals (6 of 23 devices). */
  private LiveFleet posTerminalsStopForwarding() throws Exception {
    var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    fleet.commit("Template");
    var policy = fleet.repo.resolve("tenants/acme-retail/policies/pos.yaml");
    Files.writeString(policy,
        Files.readString(policy).replace("net.ipv4.ip_forward: \"1\"", "net.ipv4.ip_forward: \"0\""));
    fleet.commit("POS terminals stop forwarding");
    return fleet;
  }

  @Test
  void jsonListsEachChangeOnceAsAnObjectWithItsDevices() throws Exception {
    try (var fleet = posTerminalsStopForwarding()) {

      var run = Run.flotilla("plan", "--repo", fleet.repo.toString(), "-o", "json");

      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isEqualTo(3);
      var json = new ObjectMapper().readTree(run.out());
      assertThat(json.get("devices").asInt()).isEqualTo(6);
      assertThat(json.get("total").asInt()).isEqualTo(23);
      var changes = new ArrayList<JsonNode>();
      json.get("changes").forEach(changes::add);
      var forwarding = changes.stream().filter(c -> c.get("kind").asText().equals("sysctl")).toList();
      assertThat(forwarding).singleElement().satisfies(c -> {
        assertThat(c.get("key").asText()).isEqualTo("net.ipv4.ip_forward");
        assertThat(c.get("from").asText()).isEqualTo("1");
        assertThat(c.get("to").asText()).isEqualTo("0");
        assertThat(c.get("line").asText()).isEqualTo("~ sysctl net.ipv4.ip_forward 1 -> 0");
        assertThat(c.get("devices")).hasSize(6);
        assertThat(c.get("devices").get(0).asText()).isEqualTo("acme-retail/pos-berlin-01-1");
      });
    }
  }

  @Test
  void yamlOutputHoldsTheSameValueAsJson() throws Exception {
    try (var fleet = posTerminalsStopForwarding()) {

      var json = Run.flotilla("plan", "--repo", fleet.repo.toString(), "-o", "json");
      var yaml = Run.flotilla("plan", "--repo", fleet.repo.toString(), "-o", "yaml");

      assertThat(yaml.exitCode()).isEqualTo(3);
      assertThat(yaml.err()).isEmpty();
      assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml.out()))
          .isEqualTo(new ObjectMapper().readTree(json.out()));
      assertThat(Run.flotilla("plan", "--repo", fleet.repo.toString(), "-o", "xml").exitCode()).isEqualTo(2);
    }
  }

  @Test
  void wrapsLongDeviceListsAt120ColumnsAndSaysHowManyMore() {
    var names = IntStream.rangeClosed(1, 764).mapToObj(i -> "acme-retail/pos-terminal-" + i).toList();

    var lines = PlanOutput.wrap("764 device(s): ", names);

    assertThat(lines).hasSize(PlanOutput.DEVICE_LINES + 1).allMatch(line -> line.length() <= PlanOutput.WIDTH);
    assertThat(lines.getFirst()).startsWith("764 device(s): acme-retail/pos-terminal-1, acme-retail/pos-terminal-2,");
    var shown = String.join(" ", lines.subList(0, PlanOutput.DEVICE_LINES)).split("pos-terminal-").length - 1;
    assertThat(lines.getLast()).isEqualTo("    and " + (764 - shown) + " more (-o json lists every device)");
    assertThat(PlanOutput.wrap("2 device(s): ", List.of("a/x", "a/y"))).containsExactly("2 device(s): a/x, a/y");
  }

  @Test
  void showsWhichRolloutAndWaveGiveADeviceANewVersion() throws Exception {
    var checkout = TemplateCheckout.commit(work);
    var rollout = "tenants/acme-retail/rollouts/kiosk-ui-1-5.yaml";
    checkout.git().rm().addFilepattern(rollout).call();
    checkout.git().commit().setMessage("No rollout").setAuthor("t", "t@example.org")
        .setCommitter("t", "t@example.org").call();
    var canary = new RolloutState.WaveState("canary", Instant.EPOCH, null, false,
        List.of(new RolloutState.Member("kiosk-berlin-01-a", Instant.EPOCH)));
    recordStatus(new RolloutState("kiosk-ui-1-5", "acme-retail", "kiosk-ui", "1.5.0", RolloutPhase.BAKING, 0,
        null, false, Instant.EPOCH, List.of(canary), List.of()));

    // inside the kiosks' window (Tue 02:30 Berlin), so the switch is not held
    var run = Run.flotilla("plan", "--repo", work.toString(), "--base", "HEAD", "--head", "HEAD~1", "--at",
        "2026-11-24T01:30:00Z");

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("1 device(s): acme-retail/kiosk-berlin-01-a\n")
        .contains("\n  ~ app kiosk-ui 1.4.0 -> 1.5.0 (switch) [rollout kiosk-ui-1-5, wave canary]\n")
        .contains("blast radius: 1 of ");
    assertThat(run.exitCode()).isEqualTo(3);
  }

  /** Puts {@code state} on the checkout's status branch, as a reconciler would. */
  private void recordStatus(RolloutState state) throws Exception {
    try (var fleet = FleetRepo.local(work)) {
      var commits = new FleetCommits(fleet.repository(), new PersonIdent("r", "r@example.org"));
      var id = commits.commit(null, List.of(new FileChange.Put(RolloutStatusFile.path(state.tenant(),
          state.rollout()), RolloutStatusFile.write(state))), "status");
      commits.updateRef("refs/heads/" + GitStatusBranch.BRANCH, null, id);
    }
  }
}
