package dev.flotilla.receipt;

/** A receipt refused, with why as a {@link ReceiptRefusal} and in words. */
public final class ReceiptException extends Exception {
  private final ReceiptRefusal refusal;

  public ReceiptException(ReceiptRefusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  public ReceiptRefusal refusal() {
    return refusal;
  }
}
