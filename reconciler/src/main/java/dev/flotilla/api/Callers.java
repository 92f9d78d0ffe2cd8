package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.access.OperatorScope;
import dev.flotilla.access.OperatorTokens;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, from what a client cannot forge: which operator's token it holds ({@link OperatorTokens}; there
 * is no "loopback is trusted" rule, since a TLS-terminating proxy on the same host makes every caller loopback),
 * and its source address for rate limits: the socket peer, or, when the peer is a configured trusted
 * proxy, the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy. Immutable.
 */
final class Callers {
  static final String FORWARDED_FOR = "X-Forwarded-For";
  private final OperatorTokens operators;
  private final Set<InetAddress> proxies;

  /** Only the reconciler's own token; {@code operatorToken} must not be blank. */
  Callers(String operatorToken, Collection<InetAddress> trustedProxies) {
    this(new OperatorTokens(operatorToken, () -> null), trustedProxies);
  }

  /** {@code trustedProxies} are IP addresses. */
  Callers(OperatorTokens operators, Collection<InetAddress> trustedProxies) {
    this.operators = operators;
    this.proxies = Set.copyOf(trustedProxies);
  }

  /** Whether the request carries the Bearer token of an operator who sees every tenant. */
  boolean operator(HttpExchange exchange) {
    return operator(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  boolean operator(String authorization) {
    return operators.bearer(authorization).filter(OperatorScope::allTenants).isPresent();
  }

  /** What the request's Bearer token may see; empty when it is no operator's token. */
  Optional<OperatorScope> scope(HttpExchange exchange) {
    return operators.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  /** The address a rate limit keys on. */
  String source(HttpExchange exchange) {
    return source(exchange.getRemoteAddress().getAddress(), exchange.getRequestHeaders().get(FORWARDED_FOR));
  }

  String source(InetAddress peer, List<String> forwardedFor) {
    if (!proxies.contains(peer) || forwardedFor == null) {
      return peer.getHostAddress();
    }
    var hops = String.join(",", forwardedFor).split(",");
    var client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      var hop = literal(hops[i].strip());
      if (hop == null) {
        break; // garbage from the client side of the proxy: keep the last address a trusted proxy vouched for
      }
      client = hop;
      if (!proxies.contains(hop)) {
        break;
      }
    }
    return client.getHostAddress();
  }

  /** {@code text} as an IP address, or null when it is not an IP literal (never a DNS lookup). */
  static InetAddress literal(String text) {
    var bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      return null;
    }
    try {
      return InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
