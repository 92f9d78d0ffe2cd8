package dev.flotilla.cli.receipts;

import dev.flotilla.receipt.ReceiptException;
import dev.flotilla.receipt.ReceiptRefusal;
import dev.flotilla.receipt.SignedReceipt;
import java.io.IOException;

/**
 * Checks a receipt from the fleet repo alone: read it (size first), find the key its device's file held at the
 * commit the receipt names, verify the signature with it, and only then read its content, which must name that
 * device, that commit and the machine identity the file held. Read-only.
 */
public final class OfflineCheck {
  /**
   * What one receipt came to: {@code reason} null when it verified; what it says is filled in as far as it was
   * read (nothing of an unverified receipt's content).
   */
  public record Result(String source, String digest, boolean ok, String reason, String message, String device,
      Long sequence, String outcome, String commit, String at) {}

  private final DevicesAtCommit devices;

  public OfflineCheck(DevicesAtCommit devices) {
    this.devices = devices;
  }

  /** The result for {@code source}; I/O errors of the repository propagate. */
  public Result check(ReceiptSources.Source source) throws IOException {
    var digest = dev.flotilla.digest.Digest.sha256(source.bytes()).toString();
    try {
      var signed = SignedReceipt.read(source.bytes());
      var hint = signed.hint();
      var device = devices.device(hint.device(), hint.commit());
      var receipt = signed.verify(device.key()).receipt();
      if (device.identityHash() != null && !device.identityHash().equals(receipt.getIdentityHash())) {
        throw new ReceiptException(ReceiptRefusal.WRONG_DEVICE, "verify receipt " + digest + ": made on machine "
            + receipt.getIdentityHash() + ", but device '" + hint.device() + "' is machine "
            + device.identityHash() + " at commit " + hint.commit());
      }
      return new Result(source.name(), digest, true, null, null, receipt.getDevice(), receipt.getSequence(),
          receipt.getOutcome(), receipt.getFleetCommit(), receipt.getAt().toString());
    } catch (ReceiptException e) {
      return new Result(source.name(), digest, false, e.refusal().label(), e.getMessage(), null, null, null, null,
          null);
    }
  }
}
