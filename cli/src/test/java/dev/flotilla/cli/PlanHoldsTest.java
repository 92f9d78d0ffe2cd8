package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.demo.LiveFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla plan --at}: a unit restart on the template's POS terminals (window Sundays 01:00-06:00 Berlin)
 * shows as held outside the window, with the note the agent prints, and not inside it.
 */
class PlanHoldsTest {
  private static final String POS = "tenants/acme-retail/policies/pos.yaml";
  private static final String TUESDAY_NOON = "2026-11-24T12:00:00Z";
  private static final String SUNDAY_0130_BERLIN = "2026-11-29T00:30:00Z";

  @TempDir
  Path work;
  LiveFleet fleet;

  @BeforeEach
  void twoCommits() throws Exception {
    fleet = new LiveFleet(Run.HOME.resolve("fleet-repo-template"), work);
    edit("      net.ipv4.ip_forward: \"1\"\n", "      net.ipv4.ip_forward: \"1\"\n    services:\n"
        + "      - unit: bridge.service\n        unitFile: \"[Service]\\nExecStart=/usr/bin/bridge\\n\"\n");
    fleet.commit("Base");
    edit("ExecStart=/usr/bin/bridge\\n", "ExecStart=/usr/bin/bridge --fast\\n");
    fleet.commit("Head");
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    fleet.close();
  }

  @Test
  void outsideTheWindowTheRestartIsHeldUntilItOpens() {
    var run = plan("--at", TUESDAY_NOON);

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("\n  ~ unit bridge.service (unit file changed) [held until Sun 01:00 CET]\n"
        + "  ~ unit bridge.service (restart: unit file changed) [held until Sun 01:00 CET]\n");
    assertThat(run.exitCode()).isEqualTo(3);
  }

  @Test
  void insideTheWindowNothingIsHeld() {
    var run = plan("--at", SUNDAY_0130_BERLIN);

    assertThat(run.out()).contains("\n  ~ unit bridge.service (restart: unit file changed)\n").doesNotContain("held");
  }

  @Test
  void jsonCarriesTheHold() throws Exception {
    var run = plan("--at", TUESDAY_NOON, "-o", "json");

    var changes = new ObjectMapper().readTree(run.out()).get("changes");
    assertThat(changes).anySatisfy(c -> {
      assertThat(c.get("line").asText()).isEqualTo("~ unit bridge.service (restart: unit file changed)");
      assertThat(c.get("held").asText()).isEqualTo("held until Sun 01:00 CET");
    });
  }

  @Test
  void refusesATimeItCannotRead() {
    var run = plan("--at", "tuesday");

    assertThat(run.err()).isEqualTo("flotilla: plan: read --at 'tuesday': not an RFC 3339 time; use such as "
        + "2026-11-24T01:00:00Z\n");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  private Run plan(String... extra) {
    var args = new java.util.ArrayList<>(java.util.List.of("plan", "--repo", fleet.repo.toString(), "--base",
        "HEAD~1", "--head", "HEAD"));
    args.addAll(java.util.List.of(extra));
    return Run.flotilla(args.toArray(String[]::new));
  }

  private void edit(String from, String to) throws Exception {
    var file = fleet.repo.resolve(POS);
    var text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }
}
