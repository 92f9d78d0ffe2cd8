package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Request bodies, bounded before anything is allocated: a declared Content-Length over a route's limit is refused
 * without reading a byte, and a body without one (chunked) is read to at most the limit plus one byte.
 */
final class RequestBody {
  private RequestBody() {}

  /** A body over its route's limit: the server answers 413 with this message. */
  static final class TooLarge extends Exception {
    TooLarge(String what, int limit) {
      super(what + ": body over " + limit + " bytes");
    }
  }

  /** Whether the request declares a Content-Length over {@code limit} (or one that is no number). */
  static boolean declaredOver(HttpExchange exchange, int limit) {
    var declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared == null) {
      return false;
    }
    try {
      return Long.parseLong(declared.strip()) > limit;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /**
   * The whole body, at most {@code limit} bytes. A declared length is read into an array of that size (reading up
   * to a limit gathers chunks and copies them: twice the body in memory while it is read).
   */
  static byte[] read(HttpExchange exchange, int limit, String what) throws IOException, TooLarge {
    if (declaredOver(exchange, limit)) {
      throw new TooLarge(what, limit);
    }
    var declared = exchange.getRequestHeaders().getFirst("Content-Length");
    var in = exchange.getRequestBody();
    if (declared != null) {
      var body = new byte[(int) Long.parseLong(declared.strip())];
      int read = in.readNBytes(body, 0, body.length);
      return read == body.length ? body : java.util.Arrays.copyOf(body, read);
    }
    var body = in.readNBytes(limit + 1);
    if (body.length > limit) {
      throw new TooLarge(what, limit);
    }
    return body;
  }
}
