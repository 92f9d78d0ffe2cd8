package dev.flotilla.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.io.Failures;
import dev.flotilla.io.SecretFile;
import dev.flotilla.model.Webhook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Tells the fleet's webhooks of history events as they are recorded. Each delivery runs on its own virtual thread
 * and is retried with exponential backoff; one that fails every attempt is recorded in the history as
 * {@link EventKind#NOTIFICATION_FAILED} (never itself notified, so a broken receiver cannot loop). At most
 * {@link #IN_FLIGHT} deliveries wait at once; beyond that events are dropped, counted and logged, so a dead
 * receiver cannot take the reconciler's memory.
 */
public final class Notifier implements AutoCloseable {
  static final int IN_FLIGHT = 1_000;
  private static final System.Logger LOG = System.getLogger("flotilla.notify");
  private final History history;
  private final Supplier<FleetSnapshot> fleet;
  private final Path secrets;
  private final Retry retry;
  private final Clock clock;
  private final Delivery delivery = new Delivery();
  private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private final AtomicLong dropped = new AtomicLong();

  /**
   * How often and how patiently to retry: {@code attempts} in all, waiting {@code first}, then twice as long each
   * time up to {@code longest}. {@code sleeper} waits (tests pass one that records instead).
   */
  public record Retry(int attempts, Duration first, Duration longest, Sleeper sleeper) {
    public static final Retry DEFAULT = new Retry(8, Duration.ofSeconds(1), Duration.ofMinutes(1),
        d -> Thread.sleep(d.toMillis()));

    Duration after(int attempt) {
      var wait = first.multipliedBy(1L << Math.min(20, attempt - 1));
      return wait.compareTo(longest) > 0 ? longest : wait;
    }
  }

  /** Waits between attempts. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** @param secrets the directory of per-webhook HMAC secrets ({@code <work-dir>/webhook-secrets}) */
  public Notifier(History history, Supplier<FleetSnapshot> fleet, Path secrets, Retry retry, Clock clock) {
    this.history = history;
    this.fleet = fleet;
    this.secrets = secrets;
    this.retry = retry;
    this.clock = clock;
  }

  /** Starts listening to the history. */
  public Notifier start() {
    history.subscribe(this::offer);
    return this;
  }

  /** How many events were dropped because {@link #IN_FLIGHT} deliveries were waiting already. */
  public long dropped() {
    return dropped.get();
  }

  void offer(HistoryEvent event) {
    if (event.kind() == EventKind.NOTIFICATION_FAILED) {
      return;
    }
    var snapshot = fleet.get();
    var name = snapshot == null || snapshot.fleet().isEmpty() ? "fleet"
        : snapshot.fleet().get().resource().getMetadata().getName();
    for (var webhook : Webhooks.of(snapshot)) {
      if (!Webhooks.wants(webhook, event)) {
        continue;
      }
      if (!slots.tryAcquire()) {
        if (dropped.getAndIncrement() % 100 == 0) {
          LOG.log(System.Logger.Level.WARNING, "drop notification of " + event.kind().wireName() + " to webhook '"
              + webhook.getName() + "': " + IN_FLIGHT + " deliveries are waiting already; " + dropped.get()
              + " dropped so far");
        }
        continue;
      }
      var body = Payloads.of(webhook.getFormat(), event, name);
      deliveries.execute(() -> {
        try {
          deliver(webhook, event, body);
        } finally {
          slots.release();
        }
      });
    }
  }

  private void deliver(Webhook webhook, HistoryEvent event, byte[] body) {
    String last = "";
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      try {
        int status = delivery.post(webhook.getUrl(), body, event.kind().wireName(), secret(webhook.getName()),
            clock.instant());
        if (status >= 200 && status < 300) {
          return;
        }
        last = "the receiver answered " + status;
      } catch (IOException e) {
        last = Failures.describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // closing
      }
      if (attempt < retry.attempts()) {
        try {
          retry.sleeper().sleep(retry.after(attempt));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    deadLetter(webhook, event, last);
  }

  private void deadLetter(Webhook webhook, HistoryEvent event, String reason) {
    LOG.log(System.Logger.Level.WARNING, "deliver " + event.kind().wireName() + " to webhook '" + webhook.getName()
        + "' (" + webhook.getUrl() + "): " + reason + " after " + retry.attempts() + " attempts; recorded as"
        + " notification-failed");
    var detail = JsonNodeFactory.instance.objectNode();
    detail.put("webhook", webhook.getName());
    detail.put("event", event.kind().wireName());
    detail.put("eventAt", event.at().toString());
    detail.put("attempts", retry.attempts());
    detail.put("message", reason);
    history.record(new HistoryEvent(clock.instant(), event.tenant(), event.device(), EventKind.NOTIFICATION_FAILED,
        event.commit(), detail));
  }

  /** The webhook's HMAC secret, made (32 random bytes, hex, mode 0600) the first time it is needed. */
  synchronized byte[] secret(String webhook) throws IOException {
    var file = secrets.resolve(webhook);
    boolean made = !Files.exists(file);
    var secret = SecretFile.readOrMake(file, "HMAC secret of webhook '" + webhook + "'");
    if (made) {
      LOG.log(System.Logger.Level.INFO, "made the HMAC secret of webhook '" + webhook + "' at " + file
          + "; give it to the receiver so it can check X-Flotilla-Signature");
    }
    return secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    deliveries.shutdownNow();
  }
}
