package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.reconcile.Served;
import dev.flotilla.schema.Durations;
import java.io.IOException;
import java.time.Duration;

/**
 * One request a device makes about itself: authenticate it against the key in its Device file of the commit being
 * served, then answer. Everything the headers can show is checked before a body is read (device known with a key,
 * date within the skew, declared length within {@link #MAX_STATUS}); a status body is then read, bounded, under
 * {@link ApiRoutes#unverified()}, and only then is the signature over it checked. The client learns only 401/403;
 * the reason goes to the log.
 */
final class DeviceRequest {
  /** The largest status report a device may send. */
  static final int MAX_STATUS = 1 << 20;
  private static final System.Logger LOG = System.getLogger("flotilla.api");
  private static final byte[] EMPTY = new byte[0];
  private final ApiRoutes api;
  private final HttpExchange exchange;
  private final String device;

  DeviceRequest(ApiRoutes api, HttpExchange exchange, String device) {
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
    var caller = known();
    if (caller == null) {
      return refuse(401);
    }
    if (route.equals("bundle")) {
      var refusal = verify(caller, method, EMPTY);
      return refusal != 0 ? refuse(refusal) : bundle();
    }
    if (RequestBody.declaredOver(exchange, MAX_STATUS)) {
      return Responses.send(exchange, 413, "status report: body over " + MAX_STATUS + " bytes");
    }
    return readAndReport(caller, method);
  }

  /** 0 when the request is signed by the device it is about, else 401 (unknown, bad signature) or 403. */
  int authenticate(String method, byte[] body) {
    var caller = known();
    return caller == null ? 401 : verify(caller, method, body);
  }

  /** The calling device's key when the headers name a device of the served commit and a fresh date; else null. */
  private Served.DeviceKey known() {
    var served = api.served();
    var caller = exchange.getRequestHeaders().getFirst(RequestSignature.DEVICE);
    var known = served == null || caller == null ? null : served.devices().get(caller);
    if (known == null) {
      LOG.log(System.Logger.Level.INFO, "refuse request for ''{0}'': device ''{1}'' is unknown, removed or has no key",
          device, caller);
      return null;
    }
    var stale = RequestSignature.checkDate(exchange.getRequestHeaders().getFirst(RequestSignature.DATE),
        api.clock().instant());
    if (stale != null) {
      LOG.log(System.Logger.Level.INFO, "refuse request of device ''{0}'': {1}", caller, stale);
      return null;
    }
    return known;
  }

  private int verify(Served.DeviceKey known, String method, byte[] body) {
    var headers = exchange.getRequestHeaders();
    var caller = headers.getFirst(RequestSignature.DEVICE);
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
      LOG.log(System.Logger.Level.WARNING,
          "refuse request of device ''{0}'' for device ''{1}'': a device reads only its own", caller, device);
      return 403;
    }
    return 0;
  }

  private int refuse(int code) throws IOException {
    return Responses.send(exchange, code, code == 401 ? "unauthenticated" : "forbidden");
  }

  /** Reads the status body within the bound on unverified bodies, checks its signature, then takes the report. */
  private int readAndReport(Served.DeviceKey caller, String method) throws IOException {
    try {
      if (!api.unverified().enter()) {
        exchange.getResponseHeaders().set("Retry-After", "5");
        return Responses.send(exchange, 503, "status report: too many reports at once; retry");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Responses.send(exchange, 503, "status report: the reconciler is stopping; retry");
    }
    byte[] body;
    int refusal;
    try {
      body = RequestBody.read(exchange, MAX_STATUS, "status report");
      refusal = verify(caller, method, body);
    } catch (RequestBody.TooLarge e) {
      return Responses.send(exchange, 413, e.getMessage());
    } finally {
      api.unverified().leave();
    }
    return refusal != 0 ? refuse(refusal) : status(body);
  }

  private int bundle() throws IOException {
    var etag = exchange.getRequestHeaders().getFirst("If-None-Match");
    var published = api.publisher().get(device);
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
      return Responses.bytes(exchange, 304, EMPTY);
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
          return wait.compareTo(ApiRoutes.MAX_WAIT) > 0 ? ApiRoutes.MAX_WAIT : wait;
        } catch (IllegalArgumentException e) {
          return Duration.ZERO;
        }
      }
    }
    return Duration.ZERO;
  }

  private int status(byte[] body) throws IOException {
    try {
      var answer = api.report(device, body);
      return answer == null ? Responses.bytes(exchange, 204, EMPTY) : Responses.json(exchange, 200, answer);
    } catch (ApiRoutes.BadRequest e) {
      return Responses.send(exchange, 400, e.getMessage());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Responses.send(exchange, 400, "status report: not JSON: " + e.getOriginalMessage());
    }
  }
}
