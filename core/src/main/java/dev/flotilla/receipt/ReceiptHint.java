package dev.flotilla.receipt;

import java.util.regex.Pattern;

/**
 * Which key verifies a receipt, as its signer names it in the (unsigned) key hint: the device, and the fleet commit
 * whose Device file holds the key ({@code null} when the device had no bundle yet). A verifier looks the key up from
 * this, checks the signature, and then holds the signed content to the same device and commit.
 */
public record ReceiptHint(String device, String commit) {
  private static final Pattern FORM = Pattern.compile("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)@([a-f0-9]{40,64})?$");

  /** {@code kiosk-1@3f84…}, or {@code kiosk-1@} without a commit. */
  public String text() {
    return device + "@" + (commit == null ? "" : commit);
  }

  /** The hint in {@code text}; a refusal (MALFORMED) when it is no such hint. Pure. */
  public static ReceiptHint parse(String text) throws ReceiptException {
    var matcher = FORM.matcher(text == null ? "" : text);
    if (!matcher.matches()) {
      throw new ReceiptException(ReceiptRefusal.MALFORMED, "read receipt: its key hint is not '<device>@<commit>'");
    }
    return new ReceiptHint(matcher.group(1), matcher.group(3));
  }
}
