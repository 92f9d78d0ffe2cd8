package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.bundle.BundleBytes;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Expectation;
import dev.flotilla.bundle.VerifiedBundle;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The agent's verifying side: the trust root it holds (from the state directory, else the config's), every bundle
 * checked in the order of DESIGN §5 before it counts, and accepted bundles stored before anything is applied. A
 * refusal that a newer trust root may cure (an unknown signer, an expired root) fetches the server's root history
 * and verifies the bundle once more against the rotated root. Not thread-safe: the agent's loop owns it.
 */
final class BundleIntake {
  private final AgentSettings settings;
  private final AgentState state;
  private final BundleStore bundles;
  private final BundleClient client;
  private final Clock clock;
  private TrustRoot root;
  /** Whether the stored current bundle was found unusable: it is then replaced, not kept as the previous one. */
  private boolean currentUnusable;

  /**
   * The stored bundle to enforce.
   *
   * @param fallback null when it is {@code current.json}; otherwise one line saying why that was passed over and
   *     that {@code previous.json} is enforced instead
   */
  record Stored(VerifiedBundle bundle, String fallback) {}

  /** @param client where rotated roots come from; null for an agent that never asks a server (ops bundles) */
  BundleIntake(AgentSettings settings, AgentState state, BundleClient client, Clock clock) throws IOException {
    this.settings = settings;
    this.state = state;
    this.bundles = new BundleStore(settings.stateDir());
    this.client = client;
    this.clock = clock;
    this.root = loadRoot();
  }

  TrustRoot root() {
    return root;
  }

  /**
   * A new bundle, checked against the last accepted version; a refusal is a TrustException naming the check. After
   * {@link #stored} found {@code current.json} unusable, the last accepted version itself is taken again, so the
   * server's copy of it repairs the store.
   */
  VerifiedBundle verify(byte[] raw) throws TrustException, IOException {
    var verifier = new BundleVerifier(clock);
    var last = state.lastAcceptedVersion() - (currentUnusable ? 1 : 0);
    try {
      return verifier.verify(raw, root, expectation(last));
    } catch (TrustException e) {
      if (client == null || !RootRotation.mayHelp(e.refusal())) {
        throw e;
      }
      root = RootRotation.update(root, client, new RootVerifier(clock), bundles);
      return verifier.verify(raw, root, expectation(last));
    }
  }

  /**
   * The stored bundle to enforce, each file checked again as of when it was accepted (its file's time), so an
   * expiry while the device was offline does not stop it from restoring the state it already had. Empty when none
   * was ever accepted.
   *
   * <p>{@code current.json} is used when it verifies and is of the last accepted version or newer. When it does not
   * (torn, tampered with, deleted), {@code previous.json} is used when it verifies and is older than the last
   * accepted version: it is the bundle the agent itself accepted before that one, so enforcing it is the last state
   * known good, never a version the server did not send.
   *
   * @throws TrustException when a bundle was accepted but neither file can be used; the message names both
   */
  Optional<Stored> stored() throws TrustException, IOException {
    var last = state.lastAcceptedVersion();
    if (last == 0 && !Files.exists(bundles.currentFile(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    TrustException unusable;
    try {
      var raw = readStored(bundles::current);
      if (raw.isEmpty()) {
        throw new TrustException(Refusal.MALFORMED, "missing, though version " + last + " was accepted");
      }
      var verified = verifyAt(raw.get(), bundles.currentSavedAt(), last - 1);
      currentUnusable = false;
      return Optional.of(new Stored(verified, null));
    } catch (TrustException e) {
      unusable = e;
      currentUnusable = true;
    }
    var current = "'" + bundles.currentFile() + "': " + unusable.getMessage();
    try {
      var fallback = previous(last);
      return Optional.of(new Stored(fallback, "refuse stored bundle " + current + "; enforcing version "
          + fallback.payload().getVersion() + " from '" + bundles.previousFile() + "' until a new bundle arrives"));
    } catch (TrustException e) {
      throw new TrustException(unusable.refusal(), current + "; '" + bundles.previousFile() + "': " + e.getMessage()
          + "; nothing is enforced until a new bundle arrives");
    }
  }

  /** The stored {@code previous.json}, verified and older than {@code last}; a TrustException says why not. */
  private VerifiedBundle previous(long last) throws TrustException, IOException {
    var raw = readStored(bundles::previous);
    if (raw.isEmpty()) {
      throw new TrustException(Refusal.MALFORMED, "missing");
    }
    var verified = verifyAt(raw.get(), bundles.previousSavedAt(), 0);
    if (verified.payload().getVersion() >= last) {
      throw new TrustException(Refusal.REPLAY, "version " + verified.payload().getVersion()
          + " is not older than the last accepted version " + last);
    }
    return verified;
  }

  /** A stored bundle file's bytes, if it exists; one over the cap is refused unread, as a malformed bundle. */
  private static Optional<byte[]> readStored(StoredFile file) throws TrustException, IOException {
    try {
      return file.read();
    } catch (BundleBytes.TooLarge e) {
      throw new TrustException(Refusal.MALFORMED, e.getMessage());
    }
  }

  /** {@link BundleStore#current} or {@link BundleStore#previous}. */
  private interface StoredFile {
    Optional<byte[]> read() throws IOException;
  }

  private VerifiedBundle verifyAt(byte[] raw, java.time.Instant savedAt, long above) throws TrustException {
    return new BundleVerifier(Clock.fixed(savedAt, ZoneOffset.UTC)).verify(raw, root, expectation(above));
  }

  /**
   * Makes {@code raw} the current bundle and records its version as the last accepted one. An unusable {@code
   * current.json} is overwritten rather than kept as {@code previous.json}, so the good previous one stays.
   */
  void store(byte[] raw, VerifiedBundle verified) throws IOException {
    if (currentUnusable) {
      bundles.replaceCurrent(raw);
    } else {
      bundles.saveCurrent(raw);
    }
    currentUnusable = false;
    state.accept(verified.payload().getVersion(), verified.payload().getSourceCommit(), clock.instant());
  }

  private Expectation expectation(long lastAccepted) {
    return new Expectation(root.getSigned().getFleet(), settings.device(), settings.identityHash(), lastAccepted);
  }

  private TrustRoot loadRoot() throws IOException {
    var stored = bundles.root();
    var bytes = stored.isPresent() ? stored.get() : settings.initialRoot();
    try {
      var parsed = TrustRoots.parse(bytes);
      if (stored.isEmpty()) {
        bundles.saveRoot(bytes);
      }
      return parsed;
    } catch (TrustException e) {
      throw new IOException("load trust root: " + e.getMessage(), e);
    }
  }
}
