package dev.flotilla.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Set;

/**
 * Moves the agent to a newer trust root when a bundle is signed by a key its root does not know (a rotated
 * signer) or its root expired: given the root history the server sent, it applies each rotation in order, each
 * checked against the thresholds of the old and the new root. The server is not trusted: a root that does not
 * chain to the one the device holds is refused. Fetching the history is the fetch step's ({@link BundleSource}).
 */
final class RootRotation {
  private static final Set<Refusal> MAY_HELP = Set.of(Refusal.UNKNOWN_KEY, Refusal.WRONG_ROLE, Refusal.ROOT_EXPIRED);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RootRotation() {}

  static boolean mayHelp(Refusal refusal) {
    return MAY_HELP.contains(refusal);
  }

  /** @param raw the server's root history, a JSON array of roots */
  static TrustRoot update(TrustRoot current, byte[] raw, RootVerifier verifier, BundleStore store)
      throws TrustException, IOException {
    var chain = new ArrayList<TrustRoot>();
    byte[] newest = null;
    for (var node : JSON.readTree(raw)) {
      var bytes = JSON.writeValueAsBytes(node);
      var root = TrustRoots.parse(bytes);
      if (root.getSigned().getVersion() > current.getSigned().getVersion()) {
        chain.add(root);
        newest = TrustRoots.toJson(root);
      }
    }
    chain.sort(java.util.Comparator.comparing(r -> r.getSigned().getVersion()));
    var updated = verifier.update(current, chain);
    if (newest != null && updated != current) {
      store.saveRoot(TrustRoots.toJson(updated));
    }
    return updated;
  }
}
