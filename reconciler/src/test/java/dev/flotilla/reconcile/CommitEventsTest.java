package dev.flotilla.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.git.Revision;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.history.RecentHistory;
import dev.flotilla.schema.Location;
import dev.flotilla.schema.Problem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitEventsTest {
  static final Revision GOOD = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "good");
  static final Revision BAD = new Revision("b".repeat(40), Instant.ofEpochSecond(2_000), "bad");
  static final Revision NEXT = new Revision("c".repeat(40), Instant.ofEpochSecond(3_000), "next");
  static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
  static final Problem ONE = Problem.error("tenants/acme/policies/p.yaml", new Location(7, 3), "", "one", "");
  final RecentHistory history = new RecentHistory(100);

  static FleetStatus served(Revision revision) {
    return new FleetStatus(revision, revision, true, "Reconciled", "commit served", T1, List.of(), Map.of());
  }

  static FleetStatus refused(Revision good, Revision seen, String reason) {
    return new FleetStatus(good, seen, false, reason, "1 problem(s)", T1, List.of(ONE), Map.of());
  }

  List<String> recorded() {
    return history.query(new HistoryQuery(null, null, null, null, null, 100)).reversed().stream()
        .map(e -> e.kind().wireName() + " " + e.commit().charAt(0)).toList();
  }

  @Test
  void recordsEachCommitAcceptedOrRefusedOnceAndNeverAFailedFetch() {
    var events = new CommitEvents(history, Clock.fixed(T1, ZoneOffset.UTC));
    events.passed(served(GOOD));
    events.passed(served(GOOD));
    events.passed(refused(GOOD, BAD, "InvalidCommit"));
    events.passed(refused(GOOD, BAD, "InvalidCommit"));
    events.passed(refused(GOOD, GOOD, "FetchFailed"));
    events.passed(served(NEXT));

    assertThat(recorded()).containsExactly("commit-accepted a", "commit-refused b", "commit-accepted c");
    HistoryEvent refusal = history.query(HistoryQuery.ofDevice(null, 100)).get(1);
    assertThat(refusal.detail().path("problems").get(0).asText()).isEqualTo(ONE.toString());
    assertThat(refusal.detail().path("reason").asText()).isEqualTo("InvalidCommit");
  }

  @Test
  void aRestartServingTheLastAcceptedCommitRecordsNothingNew() {
    new CommitEvents(history, Clock.fixed(T1, ZoneOffset.UTC)).passed(served(GOOD));
    new CommitEvents(history, Clock.fixed(T1, ZoneOffset.UTC)).passed(served(GOOD));

    assertThat(recorded()).containsExactly("commit-accepted a");
  }
}
