package dev.flotilla.agent;

import dev.flotilla.agent.bundle.BundleClient;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Expectation;
import dev.flotilla.bundle.VerifiedBundle;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
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

  /** A new bundle, checked against the last accepted version; a refusal is a TrustException naming the check. */
  VerifiedBundle verify(byte[] raw) throws TrustException, IOException {
    var verifier = new BundleVerifier(clock);
    try {
      return verifier.verify(raw, root, expectation(state.lastAcceptedVersion()));
    } catch (TrustException e) {
      if (client == null || !RootRotation.mayHelp(e.refusal())) {
        throw e;
      }
      root = RootRotation.update(root, client, new RootVerifier(clock), bundles);
      return verifier.verify(raw, root, expectation(state.lastAcceptedVersion()));
    }
  }

  /**
   * The stored bundle, checked again as of when it was accepted (its file's time), so an expiry while the device
   * was offline does not stop it from restoring the state it already had. Empty when none was stored.
   */
  Optional<VerifiedBundle> stored() throws TrustException, IOException {
    var raw = bundles.current();
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new BundleVerifier(Clock.fixed(bundles.currentSavedAt(), ZoneOffset.UTC))
        .verify(raw.get(), root, expectation(state.lastAcceptedVersion() - 1)));
  }

  /** Makes {@code raw} the current bundle and records its version as the last accepted one. */
  void store(byte[] raw, VerifiedBundle verified) throws IOException {
    bundles.saveCurrent(raw);
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
