package dev.flotilla.api;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.digest.Digest;
import dev.flotilla.publish.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code GET /v1/artifacts/<sha256-hex>}: the bytes of one artifact (or SBOM) from the artifact store, streamed
 * with its Content-Length. The caller authenticates as for bundles (signed request, key from its Device file: 401
 * when unknown or badly signed); the digest must be listed by an artifact file of the commit being served (404
 * otherwise, as for digests the store lacks); an artifact restricted to a tenant goes only to that tenant's devices
 * (403).
 */
final class ArtifactRequest {
  private static final System.Logger LOG = System.getLogger("flotilla.api");
  private final ApiRoutes api;
  private final HttpExchange exchange;
  private final String hex;
  private final Digest digest;

  ArtifactRequest(ApiRoutes api, HttpExchange exchange, Digest digest) {
    this.api = api;
    this.exchange = exchange;
    this.digest = digest;
    this.hex = digest.hex();
  }

  int handle(ArtifactStore store) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    var caller = exchange.getRequestHeaders().getFirst(RequestSignature.DEVICE);
    int refusal = caller == null ? 401 : new DeviceRequest(api, exchange, caller).authenticate("GET", new byte[0]);
    if (refusal != 0) {
      return Responses.send(exchange, refusal, refusal == 401 ? "unauthenticated" : "forbidden");
    }
    var served = api.served();
    var grant = served.artifacts().get(hex);
    if (grant == null) {
      return Responses.send(exchange, 404, "no artifact " + digest + " in commit " + served.revision().shortId());
    }
    var me = served.devices().get(caller);
    if (me == null) {
      return Responses.send(exchange, 401, "unauthenticated"); // removed by the commit served since authenticating
    }
    if (!grant.allows(me.tenant())) {
      LOG.log(System.Logger.Level.WARNING, "refuse artifact {0} to device ''{1}'': it belongs to tenant(s) {2}",
          digest, caller, grant.tenants());
      return Responses.send(exchange, 403, "forbidden");
    }
    var blob = store == null ? null : store.find(hex).orElse(null);
    if (blob == null) {
      return Responses.send(exchange, 404, "artifact " + digest + " is not in the artifact store");
    }
    long size = Files.size(blob);
    if (grant.size() >= 0 && size != grant.size()) {
      LOG.log(System.Logger.Level.ERROR, "artifact store: ''{0}'' is {1} bytes, signed size {2}; not serving it",
          blob, size, grant.size());
      return Responses.send(exchange, 500, "artifact store is corrupt");
    }
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("ETag", "\"" + digest + "\"");
    exchange.sendResponseHeaders(200, size);
    try (var out = exchange.getResponseBody()) {
      Files.copy(blob, out);
    }
    return 200;
  }
}
