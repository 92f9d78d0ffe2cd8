package dev.flotilla.ui;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.access.OperatorScope;
import dev.flotilla.access.OperatorTokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is looking at the board: the operator token from {@code Authorization: Bearer}, else from the cookie the
 * login form sets (HttpOnly, Secure, SameSite=Strict, path /ui/; the token itself, base64url, since the board
 * keeps no sessions: revoking the operator file revokes the cookie on the next pass). Immutable.
 */
final class BoardAuth {
  static final String COOKIE = "flotilla_board";
  private static final String ATTRIBUTES = "; Path=/ui/; HttpOnly; Secure; SameSite=Strict";
  private final OperatorTokens tokens;

  BoardAuth(OperatorTokens tokens) {
    this.tokens = tokens;
  }

  Optional<OperatorScope> scope(HttpExchange exchange) {
    var headers = exchange.getRequestHeaders();
    var authorization = headers.getFirst("Authorization");
    if (authorization != null) {
      return tokens.bearer(authorization);
    }
    var cookies = headers.get("Cookie");
    return cookies == null ? Optional.empty() : tokens.scope(cookie(String.join(";", cookies)));
  }

  Optional<OperatorScope> login(String token) {
    return tokens.scope(token);
  }

  /** The Set-Cookie value that keeps {@code token} for twelve hours. */
  static String setCookie(String token) {
    return COOKIE + "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(token.strip()
        .getBytes(StandardCharsets.UTF_8)) + ATTRIBUTES + "; Max-Age=43200";
  }

  static String clearCookie() {
    return COOKIE + "=" + ATTRIBUTES + "; Max-Age=0";
  }

  /** The token in a Cookie header, or null when it has none or a malformed one. */
  static String cookie(String header) {
    for (var part : header.split(";")) {
      var pair = part.strip();
      if (pair.startsWith(COOKIE + "=")) {
        try {
          return new String(Base64.getUrlDecoder().decode(pair.substring(COOKIE.length() + 1)),
              StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }
}
