package dev.flotilla.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.schema.Location;
import dev.flotilla.schema.Problem;
import dev.flotilla.git.Revision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetStatusTest {
  static final Revision GOOD = new Revision("a".repeat(40), Instant.ofEpochSecond(1_000), "good");
  static final Revision BAD = new Revision("b".repeat(40), Instant.ofEpochSecond(2_000), "bad");
  static final Revision WORSE = new Revision("c".repeat(40), Instant.ofEpochSecond(3_000), "worse");
  static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");
  static final Problem ONE = Problem.error("tenants/acme/policies/p.yaml", new Location(7, 3), "", "one", "");
  static final Problem TWO = Problem.error("tenants/acme/policies/p.yaml", new Location(9, 3), "", "two", "");

  static FleetStatus served(Revision revision, Map<String, FleetStatus.HeldBack> heldBack) {
    return new FleetStatus(revision, revision, true, "Reconciled", "", T1, List.of(), heldBack);
  }

  @Test
  void tenantNewlyHeldBackWasLastGoodAtTheCommitServedBefore() {
    var held = served(GOOD, Map.of()).holdBack(BAD, Map.of("acme", List.of(ONE)), T1, tenant -> true);

    assertThat(held).containsExactly(Map.entry("acme", new FleetStatus.HeldBack(GOOD, BAD, T1, List.of(ONE))));
  }

  @Test
  void tenantNotServedBeforeHasNoLastGoodCommit() {
    var held = served(GOOD, Map.of()).holdBack(BAD, Map.of("acme", List.of(ONE)), T1, tenant -> false);

    assertThat(held.get("acme").lastGood()).isNull();
  }

  @Test
  void tenantStillHeldBackKeepsSinceAndLastGoodWithItsNewProblems() {
    var before = served(BAD, Map.of("acme", new FleetStatus.HeldBack(GOOD, BAD, T1, List.of(ONE))));

    var held = before.holdBack(WORSE, Map.of("acme", List.of(TWO)), T2, tenant -> true);

    assertThat(held.get("acme")).isEqualTo(new FleetStatus.HeldBack(GOOD, BAD, T1, List.of(TWO)));
  }

  @Test
  void reportNamesTheCommitsAndEveryProblem() {
    var status = served(BAD, Map.of("acme", new FleetStatus.HeldBack(GOOD, BAD, T1, List.of(ONE, TWO))));

    assertThat(status.heldBackReport().get("acme")).containsEntry("since", BAD.commit())
        .containsEntry("lastGood", GOOD.commit())
        .containsEntry("problems", List.of(ONE.toString(), TWO.toString()));
  }
}
