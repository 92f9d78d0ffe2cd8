package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who is calling, from what a client cannot forge: whether it holds the operator token (compared in constant
 * time; there is no "loopback is trusted" rule, since a TLS-terminating proxy on the same host makes every caller
 * loopback), and its source address for rate limits: the socket peer, or, when the peer is a configured trusted
 * proxy, the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy. Immutable.
 */
final class Callers {
  static final String FORWARDED_FOR = "X-Forwarded-For";
  private final byte[] token;
  private final Set<InetAddress> proxies;

  /** {@code operatorToken} must not be blank; {@code trustedProxies} are IP addresses. */
  Callers(String operatorToken, Collection<InetAddress> trustedProxies) {
    if (operatorToken == null || operatorToken.isBlank()) {
      throw new IllegalArgumentException("serve operator endpoints: no operator token; configure one");
    }
    this.token = operatorToken.getBytes(StandardCharsets.UTF_8);
    this.proxies = Set.copyOf(trustedProxies);
  }

  /** Whether the request carries {@code Authorization: Bearer <operator token>}. */
  boolean operator(HttpExchange exchange) {
    return operator(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  boolean operator(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    var presented = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, presented);
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
