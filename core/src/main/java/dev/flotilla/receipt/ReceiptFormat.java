package dev.flotilla.receipt;

/**
 * The wire format of a receipt: a Sigstore bundle v0.3 (as bundles are) whose DSSE envelope holds a {@code
 * Receipt} (schemas/receipt.yaml) as canonical JSON, signed with the device key; the key hint names the device and
 * the fleet commit whose Device file holds the key, as {@code <device>@<commit>}.
 */
public final class ReceiptFormat {
  public static final String PAYLOAD_TYPE = "application/vnd.flotilla.receipt.v1+json";
  /** The largest signed receipt, in bytes; the agent bounds what it puts in one to stay well under it. */
  public static final int MAX_BYTES = 32 << 10;

  private ReceiptFormat() {}

  /** The cap in words, for messages. */
  public static String cap() {
    return (MAX_BYTES >> 10) + " KiB (" + MAX_BYTES + " bytes)";
  }
}
