package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writing whole responses: a text message, JSON, or bytes; each returns the status code for metrics. */
final class Responses {
  private Responses() {}

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
