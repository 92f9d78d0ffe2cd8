package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void validatesAndSummarisesTheTemplate() {
    var run = Run.flotilla("demo", "--summary-only");

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("fleet is valid: 2 tenants").contains("\ntenant ").contains("  policy ")
        .contains("  rollout ").contains(" gets:\n");
    assertThat(run.exitCode()).isEqualTo(0);
  }

  @Test
  void failsClearlyWithoutAFleet() {
    var run = Run.flotilla("demo", "--fleet", Path.of("no-such-fleet").toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: demo: no fleet at 'no-such-fleet'; "
        + "run it from the Flotilla checkout or pass --fleet DIR\n"));
  }
}
