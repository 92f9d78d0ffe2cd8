package dev.flotilla.bundle;

import dev.flotilla.model.BundlePayload;

/**
 * A bundle that passed every check: its parsed payload and who signed it. It keeps neither the raw bundle nor the
 * payload's bytes, so an agent holding its current bundle holds one copy of its content.
 */
public record VerifiedBundle(BundlePayload payload, String signerKeyId) {}
