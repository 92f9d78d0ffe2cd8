package dev.flotilla.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.schema.Problem;
import java.time.Clock;
import java.util.Set;

/**
 * Records the fleet commits the reconciler accepted or refused, once each, from the {@link FleetStatus} of each
 * pass: accepted when a new commit is served (with the tenants held back, if any), refused when a new commit is
 * refused (with its first problems). A failed fetch is no commit and is not recorded. After a restart the last
 * accepted commit is read back from the history, so serving it again records nothing. Not thread-safe: called
 * after each pass, from the loop.
 */
public final class CommitEvents {
  private static final int MAX_PROBLEMS = 20;
  private final History history;
  private final Clock clock;
  private String accepted;
  private String refused;
  private boolean loaded;

  public CommitEvents(History history, Clock clock) {
    this.history = history;
    this.clock = clock;
  }

  /** Records what {@code status}, the result of a pass, says that was not recorded before. */
  public void passed(FleetStatus status) {
    if (!loaded) {
      loaded = true;
      var last = history.query(new HistoryQuery(null, null, Set.of(EventKind.COMMIT_ACCEPTED), null, null, 1));
      accepted = last.isEmpty() ? null : last.getFirst().commit();
    }
    if (status.ready() && status.good() != null && !status.good().commit().equals(accepted)) {
      accepted = status.good().commit();
      var detail = JsonNodeFactory.instance.objectNode().put("reason", status.reason())
          .put("message", status.message()).put("subject", status.good().subject());
      status.heldBack().keySet().forEach(detail.putArray("heldBack")::add);
      history.record(new HistoryEvent(clock.instant(), null, null, EventKind.COMMIT_ACCEPTED, accepted, detail));
    } else if (!status.ready() && status.seen() != null && !"FetchFailed".equals(status.reason())
        && !status.seen().commit().equals(refused) && !status.seen().commit().equals(accepted)) {
      refused = status.seen().commit();
      var detail = JsonNodeFactory.instance.objectNode().put("reason", status.reason())
          .put("message", status.message()).put("subject", status.seen().subject());
      var problems = detail.putArray("problems");
      status.problems().stream().limit(MAX_PROBLEMS).map(Problem::toString).forEach(problems::add);
      history.record(new HistoryEvent(clock.instant(), null, null, EventKind.COMMIT_REFUSED, refused, detail));
    }
  }
}
