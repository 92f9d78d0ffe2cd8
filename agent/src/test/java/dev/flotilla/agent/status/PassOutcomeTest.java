package dev.flotilla.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.trust.Refusal;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The status-report reasons (schemas/status-report.yaml) are made from the outcome here, and only here. */
class PassOutcomeTest {
  @Test
  void eachOutcomeHasTheReasonStatusReportsCarry() {
    assertThat(Arrays.stream(PassOutcome.values()).filter(o -> o != PassOutcome.REFUSED_BUNDLE)
        .map(PassOutcome::reason)).containsExactly("NoBundle", "Applied", "UpToDate", "DriftCorrected", "Recovered",
            "Drifted", "ApplyFailed", "SystemdUnavailable", "StoreFailed", "RefusedPlan", "HeldForWindow");
    assertThat(PassOutcome.REFUSED_BUNDLE.reason(Refusal.BAD_SIGNATURE)).isEqualTo("RefusedBadSignature");
  }

  @Test
  void aRefusedBundleHasNoReasonWithoutItsRefusal() {
    assertThatThrownBy(PassOutcome.REFUSED_BUNDLE::reason).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onlyPassesThatLeaveTheHostOnItsBundleAreReady() {
    assertThat(Arrays.stream(PassOutcome.values()).filter(PassOutcome::ready)).containsExactly(PassOutcome.APPLIED,
        PassOutcome.UP_TO_DATE, PassOutcome.DRIFT_CORRECTED, PassOutcome.RECOVERED, PassOutcome.DRIFTED,
        PassOutcome.HELD_FOR_WINDOW);
  }
}
