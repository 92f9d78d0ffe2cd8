package dev.flotilla.agent.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.StartUnit;
import dev.flotilla.receipt.ReceiptFormat;
import dev.flotilla.receipt.ReceiptSigner;
import dev.flotilla.receipt.SignedReceipt;
import dev.flotilla.trust.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReceiptMakerTest {
  static final String HASH = "sha256:" + "ab".repeat(32);
  static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
  static final SetSysctl FORWARD = new SetSysctl("net.ipv4.ip_forward", "0", "1");
  static final StartUnit POS = StartUnit.start("pos.service");
  static final String DIGEST = "sha256:" + "cd".repeat(32);
  static final UnitFailure.Lookup NONE = (kind, name) -> null;

  static Pass pass(PassOutcome outcome, ChangeResult... results) {
    var changes = new ArrayList<dev.flotilla.plan.Change>();
    for (var result : results) {
      changes.add(result.change());
    }
    return new Pass(3, new Plan(changes), new ApplyResult(List.of(results)), outcome, "some message");
  }

  static BundlePayload bundle() {
    var payload = new BundlePayload();
    payload.setVersion(3L);
    payload.setSourceCommit("3f8495b2c1aa3f8495b2c1aa3f8495b2c1aa3f84");
    return payload;
  }

  @Test
  void passesThatChangeOrFailGetAReceiptButNotUpToDateOrNoBundle() {
    var applied = pass(PassOutcome.APPLIED, ChangeResult.of(FORWARD, Outcome.UPDATED));

    assertThat(ReceiptMaker.wanted(applied, null)).isTrue();
    assertThat(ReceiptMaker.wanted(pass(PassOutcome.APPLY_FAILED, ChangeResult.failed(POS, "failed")), null))
        .isTrue();
    assertThat(ReceiptMaker.wanted(pass(PassOutcome.UP_TO_DATE), null)).isFalse();
    assertThat(ReceiptMaker.wanted(pass(PassOutcome.NO_BUNDLE), null)).isFalse();
  }

  @Test
  void aFailureOrDriftRepeatedPassAfterPassGetsOneReceipt() {
    var failed = pass(PassOutcome.APPLY_FAILED, ChangeResult.failed(POS, "failed"));
    var drifted = pass(PassOutcome.DRIFTED);
    var corrected = pass(PassOutcome.DRIFT_CORRECTED, ChangeResult.of(FORWARD, Outcome.UPDATED));

    assertThat(ReceiptMaker.wanted(failed, failed)).isFalse();
    assertThat(ReceiptMaker.wanted(drifted, drifted)).isFalse();
    assertThat(ReceiptMaker.wanted(drifted, failed)).isTrue();
    assertThat(ReceiptMaker.wanted(corrected, corrected)).as("it wrote again").isTrue();
  }

  @Test
  void aFailedUnitCarriesItsResultExitStatusAndLastJournalLines() {
    var journal = new ArrayList<String>();
    for (int i = 1; i <= 15; i++) {
      journal.add("line " + i);
    }
    var pass = pass(PassOutcome.APPLY_FAILED, ChangeResult.of(FORWARD, Outcome.UPDATED),
        ChangeResult.failed(POS, "start unit 'pos.service': failed"));

    var receipt = ReceiptMaker.make("kiosk-1", HASH, 42, 2, pass, bundle(), DIGEST, AT,
        (kind, name) -> new UnitFailure("exit-code", 3, journal));

    assertThat(receipt.getOutcome()).isEqualTo("ApplyFailed");
    assertThat(receipt.getBundleVersion()).isEqualTo(3);
    assertThat(receipt.getFleetCommit()).isEqualTo("3f8495b2c1aa3f8495b2c1aa3f8495b2c1aa3f84");
    assertThat(receipt.getBundleDigest()).isEqualTo(DIGEST);
    assertThat(receipt.getDropped()).isEqualTo(2);
    assertThat(receipt.getResources()).extracting(r -> r.getKind() + ":" + r.getName() + " " + r.getResult())
        .containsExactly("sysctl:net.ipv4.ip_forward UPDATED", "unit:pos.service FAILED");
    var failed = receipt.getResources().get(1);
    assertThat(failed.getReason()).isEqualTo("start unit 'pos.service': failed");
    assertThat(failed.getUnitResult()).isEqualTo("exit-code");
    assertThat(failed.getExitStatus()).isEqualTo(3);
    assertThat(failed.getJournal()).hasSize(10).startsWith("line 6").endsWith("line 15");
  }

  @Test
  void aDriftedPassListsWhatDiffersAsReported() {
    var plan = new Plan(List.of(FORWARD), Set.of(FORWARD.resourceKey()));
    var pass = new Pass(3, plan, ApplyResult.skipped(Plan.EMPTY), PassOutcome.DRIFTED, "1 resource(s) differ");

    var receipt = ReceiptMaker.make("kiosk-1", HASH, 1, 0, pass, bundle(), DIGEST, AT, NONE);

    assertThat(receipt.getResources()).extracting(r -> r.getChange() + " " + r.getResult())
        .containsExactly("~ sysctl net.ipv4.ip_forward 0 -> 1 REPORTED");
  }

  @Test
  void aReceiptTooLargeToSignLeavesOutResourcesButKeepsTheFailure() throws Exception {
    var results = new ArrayList<ChangeResult>();
    for (int i = 0; i < 63; i++) {
      results.add(ChangeResult.of(new SetSysctl("net.ipv4.conf.eth" + i + "." + "x".repeat(400), "0", "1"),
          Outcome.UPDATED));
    }
    results.add(ChangeResult.failed(POS, "start unit 'pos.service': " + "y".repeat(2000)));
    var pass = pass(PassOutcome.APPLY_FAILED, results.toArray(ChangeResult[]::new));
    var key = Keys.generate();
    var receipt = ReceiptMaker.make("kiosk-1", HASH, 1, 0, pass, bundle(), DIGEST, AT, NONE);

    var signed = ReceiptMaker.signed(receipt, r -> ReceiptSigner.sign(r, key.getPrivate()));

    assertThat(signed.length).isLessThanOrEqualTo(ReceiptFormat.MAX_BYTES);
    var read = SignedReceipt.read(signed).verify(key.getPublic()).receipt();
    assertThat(read.getResources()).hasSizeLessThan(64).last()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("pos.service"));
    assertThat(read.getMessage()).endsWith("resource(s) left out to fit");
  }

  @Test
  void aPassWithoutABundleNamesNoCommit() {
    var receipt = ReceiptMaker.make("kiosk-1", HASH, 1, 0,
        Pass.nothingApplied(0, PassOutcome.REFUSED_PLAN, null, "refuse bundle version 4: outside"), null, null, AT,
        NONE);

    assertThat(receipt.getFleetCommit()).isNull();
    assertThat(receipt.getBundleVersion()).isNull();
    assertThat(receipt.getOutcome()).isEqualTo("RefusedPlan");
  }
}
