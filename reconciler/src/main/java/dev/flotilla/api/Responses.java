package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writing whole responses: a text message, JSON, or bytes; each returns the status code for metrics. Every route
 * runs inside {@link #guarded}, so every request gets a status code even when a handler fails unexpectedly.
 */
final class Responses {
  static final String INTERNAL_ERROR = "internal error; the reconciler's log has the details";
  private static final System.Logger LOG = System.getLogger("flotilla.api");

  private Responses() {}

  /** One route's answer to an exchange; returns the status code it sent. */
  @FunctionalInterface
  interface Route {
    int answer(HttpExchange exchange) throws IOException;
  }

  /**
   * Runs {@code route}. Any exception it throws is logged with its trace and answered with 500 and a generic
   * message (no trace, no internal names), unless a status line was already sent; never throws.
   */
  static int guarded(HttpExchange exchange, String name, Route route) {
    try {
      return route.answer(exchange);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.INFO, "answer " + name + " request: " + e.getMessage() + "; the client went away");
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "answer " + name + " request: " + e, e);
    }
    if (exchange.getResponseCode() != -1) {
      return 500;
    }
    try {
      return send(exchange, 500, INTERNAL_ERROR);
    } catch (IOException | RuntimeException e) {
      return 500;
    }
  }

  static int send(HttpExchange exchange, int code, String message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    return bytes(exchange, code, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static int json(HttpExchange exchange, int code, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    return bytes(exchange, code, body);
  }

  static int bytes(HttpExchange exchange, int code, byte[] body) throws IOException {
    if (code == 304 || code == 204) {
      exchange.sendResponseHeaders(code, -1);
      return code;
    }
    exchange.sendResponseHeaders(code, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
    return code;
  }
}
