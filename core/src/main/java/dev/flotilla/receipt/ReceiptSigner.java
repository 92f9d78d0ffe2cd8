package dev.flotilla.receipt;

import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.model.Receipt;
import dev.flotilla.trust.CanonicalJson;
import java.security.PrivateKey;

/** Signs receipts with a device key: canonical JSON, DSSE over it, in a Sigstore bundle. Pure apart from signing. */
public final class ReceiptSigner {
  private ReceiptSigner() {}

  /** The signed receipt's bytes, hinted with the receipt's device and fleet commit. */
  public static byte[] sign(Receipt receipt, PrivateKey key) {
    var hint = new ReceiptHint(receipt.getDevice(), receipt.getFleetCommit());
    return new BundleSigner(key, hint.text()).sign(CanonicalJson.encode(receipt), ReceiptFormat.PAYLOAD_TYPE);
  }
}
