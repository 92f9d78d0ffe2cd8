package dev.flotilla.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.history.EventKind;
import dev.flotilla.model.WebhookEvent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebhooksTest {
  @Test
  void aWebhookCanAskForEveryHistoryKindButItsOwnDeadLetters() {
    assertThat(Arrays.stream(WebhookEvent.values()).map(WebhookEvent::value))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(EventKind.values())
            .filter(kind -> kind != EventKind.NOTIFICATION_FAILED).map(EventKind::wireName).toList());
  }

  @Test
  void backoffDoublesUpToTheLongestWait() {
    var retry = new Notifier.Retry(8, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5), d -> { });
    assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(retry::after).map(d -> d.toSeconds()))
        .containsExactly(1L, 2L, 4L, 5L, 5L);
  }
}
