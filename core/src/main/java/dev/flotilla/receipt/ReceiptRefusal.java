package dev.flotilla.receipt;

/**
 * Why a receipt is refused. The {@link #label} is the {@code reason} label of the reconciler's refusal counter and
 * the reason {@code flotilla receipts verify} prints: a fixed, small set.
 */
public enum ReceiptRefusal {
  /** Over {@link ReceiptFormat#MAX_BYTES}; refused before it is parsed. */
  OVERSIZED,
  /** Not a signed receipt: not a Sigstore bundle, another payload type, no hint, a payload off its schema. */
  MALFORMED,
  /** No signature of the device's key over the receipt. */
  BAD_SIGNATURE,
  /** A receipt of another device than the one sending it, or one whose content names another device. */
  WRONG_DEVICE,
  /** The device is not in the fleet (removed, or never there) at the commit it is checked against. */
  REMOVED_DEVICE,
  /** Its sequence is not above the last one accepted from the device: sent before, or older. */
  REPLAYED,
  /** The fleet commit it names is not in the repository. */
  UNKNOWN_COMMIT;

  /** {@code bad-signature}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
