package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.FlotillaAgent;
import dev.flotilla.agent.TestDevice;
import dev.flotilla.agent.identity.IdentityReader;
import dev.flotilla.cli.demo.LiveFleet;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.preview.FleetRender;
import dev.flotilla.validate.FleetValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden cross-check: for one device of one fleet change, {@code flotilla plan} prints the very lines {@code
 * flotilla-agent plan} prints on a device that applied the base bundle and holds the head one.
 */
class PlanMatchesAgentPlanTest {
  private static final String DEVICE = "pos-berlin-01-1";
  private static final String MACHINE_ID = "0123456789abcdef0123456789abcdef";
  private static final String POS = "tenants/acme-retail/policies/pos.yaml";
  private static final String HARDENING = "tenants/acme-retail/policies/base-hardening.yaml";

  @TempDir
  Path work;

  @Test
  void flotillaPlanPrintsTheLinesFlotillaAgentPlanPrintsForTheSameBundles() throws Exception {
    try (var fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work.resolve("live"))) {
      edit(fleet, POS, "      net.ipv4.ip_forward: \"1\"\n",
          "      net.ipv4.ip_forward: \"1\"\n    files:\n      - path: /etc/pos/old.conf\n        content: x\n");
      fleet.commit("Base");
      edit(fleet, POS, "net.ipv4.ip_forward: \"1\"", "net.ipv4.ip_forward: \"0\"");
      edit(fleet, POS, "/etc/pos/old.conf\n        content: x\n",
          "/etc/pos/terminal.conf\n        content: \"lane=4\\n\"\n        mode: \"0640\"\n");
      edit(fleet, HARDENING, "edit the fleet repository instead.", "edit the fleet repository, not this file.");
      fleet.commit("Head");

      var plan = Run.flotilla("plan", "--repo", fleet.repo.toString(), "--base", "HEAD~1", "--head", "HEAD");
      var agent = agentPlan(fleet.repo);

      assertThat(plan.exitCode()).as(plan.err()).isEqualTo(3);
      assertThat(agent.exitCode()).as(agent.err()).isEqualTo(3);
      var lines = linesOf(plan.out(), "acme-retail/" + DEVICE);
      assertThat(lines).contains("~ sysctl net.ipv4.ip_forward 1 -> 0", "+ file /etc/pos/terminal.conf",
          "- file /etc/pos/old.conf (no longer declared)")
          .noneMatch(line -> line.contains(" unit ") || line.contains(" app ")); // the sandbox has no systemd
      assertThat(agent.out().lines().toList()).isEqualTo(lines);
    }
  }

  /** {@code flotilla-agent plan} on a sandbox that applied the base bundle of {@link #DEVICE} and holds the head's. */
  private Run agentPlan(Path repo) throws Exception {
    var device = new TestDevice(work.resolve("device"));
    Files.writeString(device.host.resolve("etc/machine-id"), MACHINE_ID + "\n");
    for (var key : LiveFleet.SYSCTL_KEYS) {
      device.procKey(key, "0");
    }
    var settings = device.config();
    var config = Files.writeString(work.resolve("agent.yaml"), String.join("\n",
        "server: " + settings.getServer(), "device: " + settings.getDevice(), "stateDir: " + settings.getStateDir(),
        "hostRoot: " + settings.getHostRoot(), "procRoot: " + settings.getProcRoot(),
        "privateKey: " + settings.getPrivateKey(), "trustRoot: " + settings.getTrustRoot(), ""));
    var base = Files.write(work.resolve("base.json"), device.signed(forSandbox(render(repo, "HEAD~1"), 1)));
    var apply = agent("apply", "-c", config.toString(), "--bundle", base.toString());
    // the sandbox has no systemd: the same bundle, with its files and sysctl applied and its units and apps not
    assertThat(apply.err()).contains("SystemdUnavailable").contains("units and apps not applied, applied 9 change(s)");
    // the head bundle accepted but not applied yet: what the agent's plan is about
    Files.write(device.stateDir.resolve("bundles/current.json"), device.signed(forSandbox(render(repo, "HEAD"), 2)));
    return agent("plan", "-c", config.toString());
  }

  private static BundlePayload render(Path repo, String revision) throws Exception {
    try (var git = FleetRepo.local(repo)) {
      var tree = git.tree(git.resolve(revision).commit());
      return FleetRender.of(tree, new FleetValidator(Clock.systemUTC())).devices().get(DEVICE).payload();
    }
  }

  /** The rendered state, drift modes and artifacts in a bundle the sandbox device accepts. */
  private static BundlePayload forSandbox(BundlePayload rendered, long version) {
    var payload = TestDevice.payload(version, Map.of(), Map.of());
    payload.setIdentityHash(IdentityReader.hash(MACHINE_ID));
    payload.setState(rendered.getState());
    payload.setDriftModes(rendered.getDriftModes());
    payload.setArtifacts(rendered.getArtifacts());
    return payload;
  }

  /** The change lines {@code flotilla plan} printed for the group that lists {@code device}. */
  private static List<String> linesOf(String out, String device) {
    var lines = new ArrayList<String>();
    var names = new StringBuilder();
    for (var line : out.lines().toList()) {
      if (!line.startsWith(" ")) {
        names = new StringBuilder(line); // a group's header
      } else if (line.startsWith("    ")) {
        names.append(line); // its device list, wrapped
      } else if (names.toString().contains(device + ",") || names.toString().endsWith(device)) {
        lines.add(line.substring(2));
      }
    }
    return lines;
  }

  private static Run agent(String... args) {
    return Run.execute(FlotillaAgent.commandLine(), args);
  }

  private static void edit(LiveFleet fleet, String path, String from, String to) throws Exception {
    var file = fleet.repo.resolve(path);
    var text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }
}
