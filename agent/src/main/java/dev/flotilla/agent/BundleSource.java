package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.bundle.BundleClient.Fetch;
import dev.flotilla.bundle.VerifiedBundle;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The fetch step of a pass: what the server (or an ops bundle) offers, verified. A bundle refused for a reason a
 * newer trust root may cure (an unknown signer, an expired root) makes it fetch the server's root history, rotate
 * the root ({@link BundleIntake#rotate}) and verify once more; verification itself never asks the network. It
 * sends the ETag of the last bundle taken, accepted or refused, so the server answers 304 until a new one exists.
 * Not thread-safe: the agent's loop owns it.
 */
final class BundleSource {
  /** What a fetch offers, verified. */
  sealed interface Desired {
    /** A bundle that verified; {@code raw} is what gets stored. */
    record Verified(byte[] raw, VerifiedBundle bundle) implements Desired {
      long version() {
        return bundle.payload().getVersion();
      }
    }

    /** A bundle that did not verify; {@code what} names it in the message ({@code downloaded bundle}). */
    record Refused(TrustException cause, String what) implements Desired {}

    /** Nothing new: the current bundle stays the desired state. */
    record Unchanged() implements Desired {}
  }

  private final BundleClient client;
  private final BundleIntake intake;
  private String etag;

  /** @param client the server; null for an agent that never asks one (ops bundles only) */
  BundleSource(BundleClient client, BundleIntake intake) {
    this.client = client;
    this.intake = intake;
  }

  /** Fetches, long-polling up to {@code wait}. */
  Fetch fetch(Duration wait) throws IOException, InterruptedException {
    return client.fetch(etag, wait);
  }

  /** Starts a long-poll for the next bundle. */
  CompletableFuture<Fetch> fetchAsync(Duration wait) {
    return client.fetchAsync(etag, wait);
  }

  /** What {@code fetched} offers, verified. */
  Desired verified(Fetch fetched) throws IOException {
    return fetched instanceof Fetch.Changed changed ? verified(changed.bundle(), "downloaded bundle")
        : new Desired.Unchanged();
  }

  /** {@code raw}, verified; {@code what} names it in a refusal. */
  Desired verified(byte[] raw, String what) throws IOException {
    try {
      return new Desired.Verified(raw, verify(raw));
    } catch (TrustException e) {
      return new Desired.Refused(e, what);
    }
  }

  /**
   * Remembers that {@code fetched} was taken: a refused bundle's ETag too, so it is neither fetched nor refused
   * (nor counted) again.
   */
  void taken(Fetch fetched) {
    if (fetched instanceof Fetch.Changed changed) {
      etag = changed.etag();
    }
  }

  private VerifiedBundle verify(byte[] raw) throws TrustException, IOException {
    try {
      return intake.verify(raw);
    } catch (TrustException e) {
      if (client == null || !RootRotation.mayHelp(e.refusal())) {
        throw e;
      }
      intake.rotate(roots());
      return intake.verify(raw);
    }
  }

  private byte[] roots() throws IOException {
    try {
      return client.roots();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("fetch trust roots: interrupted", e);
    }
  }
}
