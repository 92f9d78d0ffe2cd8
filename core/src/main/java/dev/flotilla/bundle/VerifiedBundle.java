package dev.flotilla.bundle;

import dev.flotilla.model.BundlePayload;

/** A bundle that passed every check: its payload, the exact signed bytes, the raw bundle, and who signed it. */
public record VerifiedBundle(BundlePayload payload, byte[] payloadBytes, byte[] raw, String signerKeyId) {}
