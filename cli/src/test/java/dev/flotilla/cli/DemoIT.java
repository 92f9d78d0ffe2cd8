package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.status.PassOutcome;
import org.junit.jupiter.api.Test;

class DemoIT {
  private static final String CORRECTED = PassOutcome.DRIFT_CORRECTED.reason();

  @Test
  void liveDemoConvergesRollsOutACommitAndCorrectsTampering() {
    var run = Run.flotilla("demo", "--agents", "2");

    assertThat(run.out()).contains("all 2 agents applied their bundles")
        .containsPattern("all devices converged \\d+ ms after the commit")
        .contains("net.ipv4.tcp_keepalive_time=600, /etc/flotilla-demo.conf present")
        .containsPattern("corrected kiosk-berlin-01-a:/etc/motd \\d+ ms after the tamper")
        .containsPattern("kiosk-berlin-01-a +version \\d+: " + CORRECTED + ": 1 change\\(s\\): ~ file /etc/motd"
            + " \\(content\\) \\(woken by [^)]*file:/etc/motd")
        .contains("demo finished: every device converged, drift was corrected, nothing is left running");
    // told in the order it happened: the agents' applies, then the demo's account of them; the agent's
    // correction, then the demo's account of it, then the summary
    assertThat(run.out()).containsPattern(
        "(?s)base-hardening sets .*" + PassOutcome.APPLIED.reason() + ": 3 change.*\\] all devices converged");
    assertThat(run.out())
        .containsPattern("(?s)" + CORRECTED + ": .*\\] corrected kiosk-berlin-01-a:/etc/motd .*\\] summary: ");
    assertThat(run.exitCode()).isEqualTo(0);
  }
}
