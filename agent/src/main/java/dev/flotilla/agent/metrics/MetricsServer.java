package dev.flotilla.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on the JDK's HTTP server, one virtual thread per
 * request. Plain HTTP: bind it to localhost (the default of {@code metrics.listen}) and let a local Prometheus or
 * node exporter scrape it.
 */
public final class MetricsServer implements AutoCloseable {
  /** Where metrics are served when the agent config says nothing. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:9469";
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code registry} on {@code listen} ({@code host:port}; port 0 picks a free one).
   *
   * @throws IOException naming the address when it cannot be bound
   */
  public static MetricsServer start(String listen, PrometheusRegistry registry) throws IOException {
    var address = address(listen);
    HttpServer server;
    try {
      server = HttpServer.create(address, 8);
    } catch (IOException e) {
      throw new IOException("serve metrics on '" + listen + "': " + e.getMessage()
          + "; set another 'metrics.listen' in the agent config, or 'metrics.enabled: false'", e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/metrics", exchange -> scrape(exchange, registry));
    server.start();
    return new MetricsServer(server);
  }

  /** The address actually bound (with the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void scrape(HttpExchange exchange, PrometheusRegistry registry) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      var body = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(body, registry.scrape());
      exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.size());
      body.writeTo(exchange.getResponseBody());
    }
  }

  static InetSocketAddress address(String listen) throws IOException {
    var colon = listen.lastIndexOf(':');
    var host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    var port = Integer.parseInt(listen.substring(colon + 1));
    if (port > 65535) {
      throw new IOException("serve metrics on '" + listen + "': port over 65535; fix 'metrics.listen' in the agent config");
    }
    return new InetSocketAddress(host, port);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
