package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the read-only commands print on the template fleet, in each format: stdout, stderr and exit code together. */
class ReadCommandsOutputTest {
  @TempDir
  static Path dir;
  static String repo;

  @BeforeAll
  static void checkout() throws Exception {
    repo = TemplateCheckout.commit(dir.resolve("fleet")).repo().toString();
  }

  @Test
  void deviceDescribePrintsTheWholeFile() throws Exception {
    var run = Run.flotilla("device", "describe", "kiosk-berlin-01-a", "--repo", repo);

    var file = "tenants/acme-retail/devices/kiosk-berlin-01-a.yaml";
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("# " + file + "\n" + Files.readString(Path.of(repo, file)));
  }

  @Test
  void devicesPrintsYaml() {
    var run = Run.flotilla("devices", "--repo", repo, "--tenant", "acme-retail", "-l", "store=berlin-01",
        "-o", "yaml");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("- name: \"kiosk-berlin-01-a\"\n  tenant: \"acme-retail\"\n")
        .contains("- name: \"pos-berlin-01-1\"").endsWith("\n");
  }

  @Test
  void deviceDescribeAsJsonHasThePathAndTheFields() {
    var run = Run.flotilla("device", "describe", "kiosk-berlin-01-a", "--repo", repo, "-o", "json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("{\n  \"path\" : \"tenants/acme-retail/devices/kiosk-berlin-01-a.yaml\",\n")
        .contains("\"kind\" : \"Device\"", "\"name\" : \"kiosk-berlin-01-a\"").endsWith("}\n");
  }

  @Test
  void statusPrintsTextJsonAndYaml() {
    var text = Run.flotilla("status", "--repo", repo);
    var json = Run.flotilla("status", "--repo", repo, "-o", "json");
    var yaml = Run.flotilla("status", "--repo", repo, "-o", "yaml");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).startsWith("fleet at ").contains("devices (tenant, state, channel):", "rollouts:")
        .contains("not started");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).startsWith("{\n  \"head\" : ").contains("\"devicesBy\" : {", "\"phase\" : null");
    assertThat(yaml.out()).startsWith("head: ").contains("devicesBy:", "rollouts:");
    assertThat(text.err() + json.err() + yaml.err()).isEmpty();
  }

  @Test
  void rolloutStatusBeforeAnyReconcilerAsTextAndJson() {
    var text = Run.flotilla("rollout", "status", "kiosk-ui-1-5", "--repo", repo);
    var json = Run.flotilla("rollout", "status", "kiosk-ui-1-5", "--repo", repo, "-o", "json");

    assertThat(text).isEqualTo(new Run(0, "rollout acme-retail/kiosk-ui-1-5: not started; no reconciler has"
        + " recorded it on the status branch yet\n", ""));
    assertThat(json).isEqualTo(new Run(0, """
        {
          "rollout" : "acme-retail/kiosk-ui-1-5",
          "started" : false,
          "state" : null
        }
        """, ""));
  }

  @Test
  void claimListWithoutClaimsAsTextAndJson() {
    assertThat(Run.flotilla("claim", "list", "--repo", repo)).isEqualTo(new Run(0, "no pending claims\n", ""));
    assertThat(Run.flotilla("claim", "list", "--repo", repo, "-o", "json")).isEqualTo(new Run(0, "[ ]\n", ""));
  }

  @Test
  void anUnknownFormatIsAUsageErrorOnEveryReadingCommand() {
    for (var args : new String[][] {{"status"}, {"devices"}, {"claim", "list"}, {"device", "describe", "x"},
        {"rollout", "status", "x"}}) {
      var all = new java.util.ArrayList<>(java.util.List.of(args));
      all.addAll(java.util.List.of("--repo", repo, "-o", "xml"));

      var run = Run.flotilla(all.toArray(String[]::new));

      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("flotilla: unknown --output 'xml'; use text, json or yaml\nsee 'flotilla ");
    }
  }

  @Test
  void readingCommandsDoNotOfferBranch() {
    for (var args : new String[][] {{"devices"}, {"claim", "list"}, {"device", "describe", "kiosk-berlin-01-a"}}) {
      var all = new java.util.ArrayList<>(java.util.List.of(args));
      all.addAll(java.util.List.of("--repo", repo, "--branch", "b"));

      var run = Run.flotilla(all.toArray(String[]::new));

      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err()).startsWith("flotilla: Unknown options: '--branch', 'b'");
    }
  }

  @Test
  void validateTakesRepoAndStillTheDirectory() {
    var byOption = Run.flotilla("validate", "--repo", repo);
    var byPosition = Run.flotilla("validate", repo);

    assertThat(byOption.exitCode()).as(byOption.out()).isZero();
    assertThat(byOption.out()).contains("fleet is valid");
    assertThat(byOption.err()).as("no progress line outside a terminal").isEmpty();
    assertThat(byPosition).isEqualTo(byOption);
    assertThat(Run.flotilla("validate", "--repo", repo, dir.toString())).isEqualTo(new Run(2, "", "flotilla: validate:"
        + " --repo '" + repo + "' and DIR '" + dir + "' name two repos; pass --repo alone\n"));
  }
}
