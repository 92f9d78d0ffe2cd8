package dev.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  @Test
  void refusesAtOnceWhenRunningAndWaitingAreFull() throws Exception {
    var admission = new Admission(2, 0, Duration.ZERO);

    assertThat(admission.enter()).isTrue();
    assertThat(admission.enter()).isTrue();
    assertThat(admission.enter()).isFalse();
    admission.leave();
    assertThat(admission.enter()).isTrue();
    assertThat(admission.enter()).isFalse();
  }
}
