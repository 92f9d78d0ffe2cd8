package dev.flotilla.plan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.DesiredState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanTest {
  private static final WriteFile MOTD = new WriteFile("/etc/motd", "hi\n".getBytes(UTF_8),
      Digest.sha256("hi\n".getBytes(UTF_8)).toString(), "0644", null, null, WriteFile.Action.UPDATE, "content");
  private static final SetSysctl FORWARD = new SetSysctl("net.ipv4.ip_forward", "0", "1");
  private static final DeleteFile OLD = new DeleteFile("/etc/old.conf");

  @Test
  void splitsReportOnlyChangesFromEnforceableOnes() {
    var plan = new Plan(List.of(MOTD, FORWARD, OLD), Set.of("sysctl:net.ipv4.ip_forward"));

    assertThat(plan.enforceable().changes()).containsExactly(MOTD, OLD);
    assertThat(plan.reportOnly().changes()).containsExactly(FORWARD);
    assertThat(plan.reportOnly().lines()).containsExactly("~ sysctl net.ipv4.ip_forward 0 -> 1 [report]");
  }

  @Test
  void namesEachChangeForMetricsAndInventory() {
    assertThat(List.of(MOTD, FORWARD, OLD)).extracting(Change::resourceKey)
        .containsExactly("file:/etc/motd", "sysctl:net.ipv4.ip_forward", "file:/etc/old.conf");
    assertThat(new Plan(List.of(MOTD, FORWARD, OLD))).hasToString("""
        ~ file /etc/motd (content)
        ~ sysctl net.ipv4.ip_forward 0 -> 1
        - file /etc/old.conf (no longer declared)
        """);
  }

  @Test
  void comparesWritesByContentNotByArrayIdentity() {
    var copy = new WriteFile("/etc/motd", "hi\n".getBytes(UTF_8), MOTD.sha256(), "0644", null, null,
        WriteFile.Action.UPDATE, "content");

    assertThat(copy).isEqualTo(MOTD).hasSameHashCodeAs(MOTD);
    copy.content()[0] = 'X';
    assertThat(copy).as("content is copied out, so the record cannot be changed").isEqualTo(MOTD);
  }

  @Test
  void plansNothingForNothing() {
    assertThat(Planner.plan(new DesiredState(), null, null, null).isEmpty()).isTrue();
    assertThat(Planner.plan(null, null, null, null)).isEqualTo(Plan.EMPTY);
  }
}
