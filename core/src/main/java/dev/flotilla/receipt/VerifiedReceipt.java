package dev.flotilla.receipt;

import dev.flotilla.digest.Digest;
import dev.flotilla.model.Receipt;

/**
 * A receipt whose signature verified with the key of the device it names: its parsed content, the sha256 of its
 * exact bytes (its id in acknowledgements) and those bytes.
 */
public record VerifiedReceipt(Receipt receipt, Digest digest, byte[] raw) {}
