package dev.flotilla.receipt;

import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.SignedEnvelope;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.Receipt;
import dev.flotilla.trust.TrustException;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A signed receipt's exact bytes, read only as far as is safe before its signature is checked: size first (over
 * {@link ReceiptFormat#MAX_BYTES} it is refused unparsed), then the envelope, the payload type and the key hint. The
 * payload is parsed only by {@link #verify}, after the signature checks. Immutable.
 */
public final class SignedReceipt {
  private final byte[] raw;
  private final SignedEnvelope envelope;
  private final ReceiptHint hint;
  private final Digest digest;

  private SignedReceipt(byte[] raw, SignedEnvelope envelope, ReceiptHint hint) {
    this.raw = raw;
    this.envelope = envelope;
    this.hint = hint;
    this.digest = Digest.sha256(raw);
  }

  /** Reads {@code raw}; refused as OVERSIZED over the cap, unparsed, and as MALFORMED when it is no receipt. */
  public static SignedReceipt read(byte[] raw) throws ReceiptException {
    if (raw.length > ReceiptFormat.MAX_BYTES) {
      throw new ReceiptException(ReceiptRefusal.OVERSIZED, "read receipt: it is " + raw.length
          + " bytes, over the cap of " + ReceiptFormat.cap());
    }
    SignedEnvelope envelope;
    try {
      envelope = SignedEnvelope.read(raw, ReceiptFormat.MAX_BYTES, ReceiptFormat.cap(), "read receipt");
    } catch (TrustException e) {
      throw new ReceiptException(ReceiptRefusal.MALFORMED, e.getMessage());
    }
    if (!ReceiptFormat.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new ReceiptException(ReceiptRefusal.MALFORMED, "read receipt: payload type is '"
          + envelope.payloadType() + "', not '" + ReceiptFormat.PAYLOAD_TYPE + "'");
    }
    return new SignedReceipt(raw, envelope, ReceiptHint.parse(envelope.hint()));
  }

  /** The device and commit the signer names; unsigned until {@link #verify} holds the content to them. */
  public ReceiptHint hint() {
    return hint;
  }

  /** The sha256 of the exact bytes. */
  public Digest digest() {
    return digest;
  }

  /**
   * Checks the signature with {@code key} (the key of {@link #hint}'s device at its commit), then parses the
   * payload against its schema and holds it to the hint: the same device (else WRONG_DEVICE) and commit.
   */
  public VerifiedReceipt verify(PublicKey key) throws ReceiptException {
    if (!envelope.signed() || !envelope.signedBy(key)) {
      throw new ReceiptException(ReceiptRefusal.BAD_SIGNATURE, "verify receipt " + digest + ": not signed by the key"
          + " of device '" + hint.device() + "'" + (hint.commit() == null ? "" : " at commit " + hint.commit()));
    }
    var receipt = decode(envelope.payload());
    if (!receipt.getDevice().equals(hint.device())) {
      throw new ReceiptException(ReceiptRefusal.WRONG_DEVICE, "verify receipt " + digest + ": it names device '"
          + receipt.getDevice() + "' but is signed as device '" + hint.device() + "'");
    }
    if (!Objects.equals(receipt.getFleetCommit(), hint.commit())) {
      throw new ReceiptException(ReceiptRefusal.MALFORMED, "verify receipt " + digest + ": it names commit "
          + receipt.getFleetCommit() + " but its key hint names " + hint.commit());
    }
    return new VerifiedReceipt(receipt, digest, raw);
  }

  private Receipt decode(byte[] payload) throws ReceiptException {
    try {
      return BundlePayloads.decode(new ByteArrayInputStream(payload), "receipt.yaml", Receipt.class,
          "read receipt " + digest);
    } catch (TrustException e) {
      throw new ReceiptException(ReceiptRefusal.MALFORMED, e.getMessage());
    }
  }
}
