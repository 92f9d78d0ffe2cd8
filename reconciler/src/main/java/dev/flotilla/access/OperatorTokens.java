package dev.flotilla.access;

import dev.flotilla.digest.Digest;
import dev.flotilla.fleet.FleetSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who an operator token belongs to: the reconciler's own token (compared in constant time) sees every tenant; any
 * other token is looked up by its sha256 among the {@code operators/} files of the commit being served, so a merged
 * pull request grants access and a reverted one takes it away on the next pass. There is no "loopback is trusted"
 * rule: a TLS-terminating proxy on the same host makes every caller loopback. Thread-safe.
 */
public final class OperatorTokens {
  private final byte[] token;
  private final Supplier<FleetSnapshot> served;
  private volatile Index index = new Index(null, Map.of());

  private record Index(FleetSnapshot snapshot, Map<String, OperatorScope> byHash) {}

  /**
   * @param operatorToken the reconciler's own token; required
   * @param served the snapshot being served; may supply null (before the first good commit)
   */
  public OperatorTokens(String operatorToken, Supplier<FleetSnapshot> served) {
    if (operatorToken == null || operatorToken.isBlank()) {
      throw new IllegalArgumentException("serve operator endpoints: no operator token; configure one");
    }
    this.token = operatorToken.getBytes(StandardCharsets.UTF_8);
    this.served = served;
  }

  /** The scope of {@code presented}; empty when it is no operator's token. */
  public Optional<OperatorScope> scope(String presented) {
    if (presented == null || presented.isBlank()) {
      return Optional.empty();
    }
    var bytes = presented.strip().getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(token, bytes)) {
      return Optional.of(OperatorScope.all("operator"));
    }
    return Optional.ofNullable(index().get(Digest.sha256(bytes).toString()));
  }

  /** The scope of an {@code Authorization} header value ({@code Bearer <token>}); empty for anything else. */
  public Optional<OperatorScope> bearer(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Optional.empty();
    }
    return scope(authorization.substring("Bearer ".length()));
  }

  private Map<String, OperatorScope> index() {
    var snapshot = served.get();
    var current = index;
    if (current.snapshot() == snapshot) {
      return current.byHash();
    }
    var byHash = new HashMap<String, OperatorScope>();
    if (snapshot != null) {
      for (var document : snapshot.operators()) {
        var spec = document.resource().getSpec();
        var name = document.resource().getMetadata().getName();
        var scope = Boolean.TRUE.equals(spec.getAllTenants()) ? OperatorScope.all(name)
            : new OperatorScope(name, spec.getTenants());
        byHash.put(spec.getTokenHash(), scope);
      }
    }
    index = new Index(snapshot, Map.copyOf(byHash));
    return index.byHash();
  }
}
