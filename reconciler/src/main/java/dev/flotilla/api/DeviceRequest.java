package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.time.Duration;

/**
 * One request a device makes about itself: authenticate it against the key in its Device file of the commit being
 * served, then answer. The client learns only 401/403; the reason goes to the log.
 */
final class DeviceRequest {
  private static final System.Logger LOG = System.getLogger("flotilla.api");
  private final ApiServer api;
  private final HttpExchange exchange;
  private final String device;

  DeviceRequest(ApiServer api, HttpExchange exchange, String device) {
    this.api = api;
    this.exchange = exchange;
    this.device = device;
  }

  int handle(String route) throws IOException {
    var method = exchange.getRequestMethod();
    var expected = route.equals("bundle") ? "GET" : "POST";
    if (!expected.equals(method)) {
      return Responses.send(exchange, 405, "use " + expected);
    }
    byte[] body;
    try {
      body = ApiServer.readBody(exchange.getRequestBody());
    } catch (ApiServer.BadRequest e) {
      return Responses.send(exchange, 413, e.getMessage());
    }
    var refusal = authenticate(method, body);
    if (refusal != 0) {
      return Responses.send(exchange, refusal, refusal == 401 ? "unauthenticated" : "forbidden");
    }
    return route.equals("bundle") ? bundle() : status(body);
  }

  /** 0 when the request is signed by the device it is about, else 401 (unknown, bad signature) or 403. */
  int authenticate(String method, byte[] body) {
    var served = api.reconciler().served();
    var headers = exchange.getRequestHeaders();
    var caller = headers.getFirst(RequestSignature.DEVICE);
    var known = served == null ? null : served.devices().get(caller == null ? device : caller);
    if (known == null) {
      LOG.log(System.Logger.Level.INFO, "refuse request for ''{0}'': device ''{1}'' is unknown, removed or has no key",
          device, caller);
      return 401;
    }
    var uri = exchange.getRequestURI();
    var pathAndQuery = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    var why = RequestSignature.check(known.key(), caller, method, pathAndQuery, body,
        headers.getFirst(RequestSignature.DATE), headers.getFirst(RequestSignature.SIGNATURE), api.clock().instant(),
        api.verified());
    if (why != null) {
      LOG.log(System.Logger.Level.INFO, "refuse request of device ''{0}'': {1}", caller, why);
      return 401;
    }
    if (!caller.equals(device)) {
      LOG.log(System.Logger.Level.WARNING, "refuse request of device ''{0}'' for device ''{1}'': a device reads only its own",
          caller, device);
      return 403;
    }
    return 0;
  }

  private int bundle() throws IOException {
    var etag = exchange.getRequestHeaders().getFirst("If-None-Match");
    var published = api.reconciler().publisher().get(device);
    if (published != null && published.etag().equals(etag)) {
      var wait = waitParameter();
      if (!wait.isZero()) {
        try {
          published = api.watch().await(device, etag, wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (published == null) {
      return Responses.send(exchange, 404, "no bundle yet for device '" + device + "'");
    }
    exchange.getResponseHeaders().set("ETag", published.etag());
    if (published.etag().equals(etag)) {
      return Responses.bytes(exchange, 304, new byte[0]);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.dev.sigstore.bundle.v0.3+json");
    return Responses.bytes(exchange, 200, published.bundle());
  }

  private Duration waitParameter() {
    var query = exchange.getRequestURI().getQuery();
    if (query == null) {
      return Duration.ZERO;
    }
    for (var part : query.split("&")) {
      if (part.startsWith("wait=")) {
        try {
          var wait = Durations.parse(part.substring(5));
          return wait.compareTo(ApiServer.MAX_WAIT) > 0 ? ApiServer.MAX_WAIT : wait;
        } catch (IllegalArgumentException e) {
          return Duration.ZERO;
        }
      }
    }
    return Duration.ZERO;
  }

  private int status(byte[] body) throws IOException {
    try {
      api.report(device, body);
      return Responses.bytes(exchange, 204, new byte[0]);
    } catch (ApiServer.BadRequest e) {
      return Responses.send(exchange, 400, e.getMessage());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Responses.send(exchange, 400, "status report: not JSON: " + e.getOriginalMessage());
    }
  }
}
