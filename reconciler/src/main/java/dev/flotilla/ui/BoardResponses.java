package dev.flotilla.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Writing the board's responses, each with headers that keep the pages to themselves: a Content-Security-Policy
 * allowing only this origin's script, style and event stream (no inline script, no external URL), no framing, no
 * sniffing, no referrer, and no caching of pages.
 */
final class BoardResponses {
  static final int MAX_FORM = 4096;
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private BoardResponses() {}

  static void html(HttpExchange exchange, int code, byte[] body) throws IOException {
    send(exchange, code, "text/html; charset=utf-8", body, "no-store");
  }

  static void text(HttpExchange exchange, int code, String message) throws IOException {
    send(exchange, code, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), "no-store");
  }

  static void redirect(HttpExchange exchange, String location) throws IOException {
    secure(exchange, "no-store");
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(303, -1);
  }

  /** A static file; 404 when {@code bytes} is null. */
  static void asset(HttpExchange exchange, String path, byte[] bytes) throws IOException {
    if (bytes == null) {
      text(exchange, 404, "not found: " + path);
      return;
    }
    var type = path.endsWith(".css") ? "text/css; charset=utf-8" : path.endsWith(".svg") ? "image/svg+xml"
        : "text/javascript; charset=utf-8";
    send(exchange, 200, type, bytes, "max-age=300");
  }

  /** The request body of a form, at most {@link #MAX_FORM} bytes (more is cut off). */
  static String form(HttpExchange exchange) throws IOException {
    try (var in = exchange.getRequestBody()) {
      return new String(in.readNBytes(MAX_FORM), StandardCharsets.UTF_8);
    }
  }

  /**
   * Streams {@code subscriber}'s events as {@code text/event-stream} until the client goes away or the board
   * closes; a comment every 15 s finds clients that left without closing.
   */
  static void stream(HttpExchange exchange, BoardEvents events, BoardEvents.Subscriber subscriber)
      throws IOException {
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      secure(exchange, "no-store");
      exchange.sendResponseHeaders(200, 0);
      var out = exchange.getResponseBody();
      out.write("retry: 1000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        var message = subscriber.queue().poll(15, TimeUnit.SECONDS);
        if (message == BoardEvents.CLOSED) {
          return;
        }
        out.write((message == null ? ": still here\n\n" : message).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      events.unsubscribe(subscriber);
    }
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body, String cache)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    secure(exchange, cache);
    exchange.sendResponseHeaders(code, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void secure(HttpExchange exchange, String cache) {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Security-Policy", POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", cache);
  }
}
