package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
