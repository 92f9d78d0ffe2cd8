package dev.flotilla.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reconciler's bundle and status endpoints for device kiosk-1 on a loopback HTTP server, as agent tests need
 * them: one bundle with a real entity tag (304 when the agent sends it back), and every status report kept.
 */
final class StandInServer implements AutoCloseable {
  /** Each poll's If-None-Match, {@code "null"} when none was sent. */
  final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  /** Each status report's body, in order. */
  final List<String> reports = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> etag = new AtomicReference<>("\"none\"");
  private final AtomicReference<byte[]> bundle = new AtomicReference<>(new byte[0]);
  private final HttpServer server;

  StandInServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/devices/kiosk-1/bundle", exchange -> {
      var sent = exchange.getRequestHeaders().getFirst("If-None-Match");
      ifNoneMatch.add(String.valueOf(sent));
      if (etag.get().equals(sent)) {
        exchange.sendResponseHeaders(304, -1);
      } else {
        exchange.getResponseHeaders().add("ETag", etag.get());
        exchange.sendResponseHeaders(200, bundle.get().length);
        exchange.getResponseBody().write(bundle.get());
      }
      exchange.close();
    });
    server.createContext("/v1/devices/kiosk-1/status", exchange -> {
      reports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  /** Serves {@code signed} under the entity tag {@code tag} from now on. */
  void serve(String tag, byte[] signed) {
    bundle.set(signed);
    etag.set(tag);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
