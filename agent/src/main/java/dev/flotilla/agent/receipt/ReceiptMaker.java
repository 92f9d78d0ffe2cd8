package dev.flotilla.agent.receipt;

import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.agent.status.Pass;
import dev.flotilla.agent.status.PassOutcome;
import dev.flotilla.build.BuildInfo;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.Receipt;
import dev.flotilla.model.ReceiptResource;
import dev.flotilla.plan.Change;
import dev.flotilla.receipt.ReceiptFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The receipt of a pass, as a value: which passes get one, and what it says. Pure apart from the {@link
 * UnitFailure.Lookup} it is given for failed units and apps. Every text is clipped to its schema bound.
 */
public final class ReceiptMaker {
  static final int MAX_RESOURCES = 64;
  static final int MAX_JOURNAL_LINES = 10;

  private ReceiptMaker() {}

  /**
   * Whether {@code pass} gets a receipt: it changed something or failed. Passes that found the host on its bundle
   * (UpToDate) or had no bundle do not; nor does a pass that only repeats {@code previous} (same outcome, bundle
   * and message, nothing written), so a device stuck failing or drifted makes one receipt, not one a poll.
   */
  public static boolean wanted(Pass pass, Pass previous) {
    if (pass.outcome() == PassOutcome.UP_TO_DATE || pass.outcome() == PassOutcome.NO_BUNDLE) {
      return false;
    }
    var wrote = pass.applied().results().stream().anyMatch(ChangeResult::wrote);
    return wrote || previous == null || previous.outcome() != pass.outcome() || previous.version() != pass.version()
        || !previous.message().equals(pass.message());
  }

  /**
   * The receipt of {@code pass} on the bundle {@code current} (null when the host has none).
   *
   * @param dropped how many receipts the queue has dropped so far
   * @param bundleDigest the sha256 of {@code current}'s signed bytes as stored (hashed from the file, not encoded
   *     again: a bundle may be as large as the agent's heap allows one copy of); null with no bundle
   */
  public static Receipt make(String device, String identityHash, long sequence, long dropped, Pass pass,
      BundlePayload current, String bundleDigest, Instant at, UnitFailure.Lookup units) {
    var receipt = new Receipt();
    receipt.setDevice(device);
    receipt.setIdentityHash(identityHash);
    receipt.setSequence(sequence);
    if (current != null) {
      receipt.setBundleVersion(current.getVersion());
      receipt.setBundleDigest(bundleDigest);
      receipt.setFleetCommit(current.getSourceCommit());
    }
    receipt.setOutcome(pass.reason());
    receipt.setMessage(clip(pass.message(), 2048));
    var resources = resources(pass, units);
    receipt.setResources(resources.isEmpty() ? null : resources);
    receipt.setDropped(dropped);
    receipt.setAgentVersion(clip(singleLine("flotilla-agent " + BuildInfo.current().describe()), 128));
    receipt.setAt(at.atOffset(ZoneOffset.UTC));
    return receipt;
  }

  /**
   * One entry per change applied or tried, then the report-only changes a Drifted pass found; failures always
   * kept, the rest up to {@value #MAX_RESOURCES} in all.
   */
  static List<ReceiptResource> resources(Pass pass, UnitFailure.Lookup units) {
    var out = new ArrayList<ReceiptResource>();
    var applied = new ArrayList<Change>();
    for (var result : pass.applied().results()) {
      applied.add(result.change());
      if (result.outcome() == Outcome.FAILED || out.size() < MAX_RESOURCES - 1) {
        out.add(resource(result.change(), result.outcome().name(), result.error(), units));
      }
    }
    if (pass.outcome() == PassOutcome.DRIFTED) {
      for (var change : pass.plan().changes()) {
        if (!applied.contains(change) && out.size() < MAX_RESOURCES) {
          out.add(resource(change, "REPORTED", null, units));
        }
      }
    }
    return out;
  }

  private static ReceiptResource resource(Change change, String result, String error, UnitFailure.Lookup units) {
    var resource = new ReceiptResource();
    resource.setKind(change.kind());
    resource.setName(clip(change.name(), 512));
    resource.setChange(clip(change.line(), 512));
    resource.setResult(result);
    if (error != null) {
      resource.setReason(clip(error, 1024));
      var failure = change.kind().equals("unit") || change.kind().equals("app")
          ? units.of(change.kind(), change.name()) : null;
      if (failure != null) {
        resource.setUnitResult(clip(failure.result(), 64));
        resource.setExitStatus((long) failure.exitStatus());
        var journal = failure.journal();
        resource.setJournal(journal.subList(Math.max(0, journal.size() - MAX_JOURNAL_LINES), journal.size())
            .stream().map(line -> clip(line, 512)).toList());
      }
    }
    return resource;
  }

  /**
   * {@code receipt} signed by {@code sign}, within {@link ReceiptFormat#MAX_BYTES}: while it is over, the later
   * half of the resources that did not fail is left out, then the failures' journal lines (the message says so).
   */
  public static byte[] signed(Receipt receipt, Function<Receipt, byte[]> sign) {
    var signed = sign.apply(receipt);
    var listed = receipt.getResources() == null ? 0 : receipt.getResources().size();
    var message = receipt.getMessage();
    while (signed.length > ReceiptFormat.MAX_BYTES && shrink(receipt)) {
      var left = listed - receipt.getResources().size();
      receipt.setMessage(clip(message, 1900) + (left == 0 ? "; journal lines left out to fit"
          : "; " + left + " resource(s) left out to fit"));
      signed = sign.apply(receipt);
    }
    return signed;
  }

  private static boolean shrink(Receipt receipt) {
    var resources = receipt.getResources();
    if (resources == null) {
      return false;
    }
    var fine = resources.stream().filter(r -> !r.getResult().equals("FAILED")).toList();
    if (!fine.isEmpty()) {
      var drop = fine.subList(fine.size() / 2, fine.size());
      receipt.setResources(resources.stream().filter(r -> !drop.contains(r)).toList());
      return true;
    }
    var journalled = resources.stream().filter(r -> r.getJournal() != null).toList();
    journalled.forEach(r -> r.setJournal(null));
    return !journalled.isEmpty();
  }

  static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String singleLine(String text) {
    return text.replaceAll("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]", " ");
  }
}
