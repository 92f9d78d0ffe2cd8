package dev.flotilla.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.auth.ClaimTokens;
import dev.flotilla.auth.RequestSignature;
import dev.flotilla.claim.ClaimDesk;
import dev.flotilla.claim.Enrolment;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.ClaimRequest;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The claim endpoints. {@code POST /v1/claims}: a {@link ClaimRequest} (at most {@link #MAX_BODY} bytes, on the
 * schema, signed with the key it carries as device {@value #SIGNER}) → 201 approved, 202 pending, 200 already,
 * 4xx refused with a one-line reason. {@code GET /v1/claims/{id}}, signed with the claim's key as device
 * {@code id}: its state. Failed claims are rate-limited per source address (429; the source is what
 * {@link Callers#source} says). Claims are unauthenticated by nature, so a claim declaring more than
 * {@link #MAX_BODY} bytes is refused unread, and reading and checking claims is bounded by an {@link Admission}
 * (503 with Retry-After when full); the desk's work after the signature verifies is not. Tokens are never logged
 * or echoed.
 */
final class ClaimRequests {
  static final int MAX_BODY = 16 * 1024;
  static final String SIGNER = "claim";
  /** Failed claims a source may make at once; then one per 3 s. */
  static final int BURST = 20;
  private static final System.Logger LOG = System.getLogger("flotilla.claims");
  private final ClaimDesk desk;
  private final ObjectMapper json;
  private final SchemaValidator validator;
  private final ClaimRateLimit limit;
  private final Admission admission = new Admission(4, 128, Duration.ofSeconds(10));
  private final Clock clock;

  ClaimRequests(ClaimDesk desk, ObjectMapper json, SchemaValidator validator, Clock clock) {
    this.desk = desk;
    this.json = json;
    this.validator = validator;
    this.limit = new ClaimRateLimit(BURST, Duration.ofSeconds(3), clock);
    this.clock = clock;
  }

  /** Loads the schema now, not on the first device's claim (it takes the better part of a second). */
  ClaimRequests warm() {
    validator.validate("claim", "claim-request.yaml", json.createObjectNode());
    return this;
  }

  int submit(HttpExchange exchange, String source) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use POST");
    }
    if (!limit.allowed(source)) {
      return Responses.send(exchange, 429, "claim: too many failed claims from " + source + "; wait a minute");
    }
    var outcome = admitted(exchange);
    if (outcome.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "5");
      return Responses.send(exchange, 503, outcome.message());
    }
    if (outcome.status() >= 400) {
      limit.failed(source);
      LOG.log(System.Logger.Level.INFO, "refuse claim from " + source + ": " + outcome.message());
      return Responses.send(exchange, outcome.status(), outcome.message());
    }
    return Responses.json(exchange, outcome.status(), json.writeValueAsBytes(outcome));
  }

  int poll(HttpExchange exchange, String id) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return Responses.send(exchange, 405, "use GET");
    }
    var found = desk.lookup(id);
    if (found.isEmpty()) {
      return Responses.send(exchange, 404, "claim '" + id + "': unknown; claim again");
    }
    var headers = exchange.getRequestHeaders();
    var why = RequestSignature.check(Keys.parsePublicPem(found.get().publicKey()), id, "GET",
        exchange.getRequestURI().getRawPath(), new byte[0], headers.getFirst(RequestSignature.DATE),
        headers.getFirst(RequestSignature.SIGNATURE), clock.instant());
    if (why != null || !id.equals(headers.getFirst(RequestSignature.DEVICE))) {
      return Responses.send(exchange, 401, "unauthenticated");
    }
    return Responses.json(exchange, 200, json.writeValueAsBytes(found.get().outcome()));
  }

  /** The claim's outcome: its body read and checked within the admission bound, then decided by the desk. */
  private ClaimDesk.Outcome admitted(HttpExchange exchange) throws IOException {
    if (RequestBody.declaredOver(exchange, MAX_BODY)) {
      return refused(413, "claim request: body over " + MAX_BODY + " bytes");
    }
    var stale = RequestSignature.checkDate(exchange.getRequestHeaders().getFirst(RequestSignature.DATE),
        clock.instant());
    if (stale != null) {
      return refused(401, "claim request: " + stale + "; sign it with the key it carries");
    }
    try {
      if (!admission.enter()) {
        return refused(503, "claim: too many claims at once; retry");
      }
      Checked checked;
      try {
        checked = checked(exchange);
      } finally {
        admission.leave();
      }
      return checked.refusal() != null ? checked.refusal()
          : desk.submit(checked.request(), ClaimTokens.hash(checked.request().getToken()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refused(503, "claim: the reconciler is stopping; retry");
    }
  }

  /** A claim that passed every check but the desk's, or why not. */
  private record Checked(ClaimRequest request, ClaimDesk.Outcome refusal) {
    static Checked refused(int status, String message) {
      return new Checked(null, ClaimRequests.refused(status, message));
    }
  }

  private Checked checked(HttpExchange exchange) throws IOException {
    byte[] body;
    try {
      body = RequestBody.read(exchange, MAX_BODY, "claim request");
    } catch (RequestBody.TooLarge e) {
      return Checked.refused(413, e.getMessage());
    }
    ClaimRequest request;
    try {
      var tree = json.readTree(body);
      if (tree == null || !tree.isObject()) {
        return Checked.refused(400, "claim request: not a JSON object");
      }
      var problems = validator.validate("claim", "claim-request.yaml", tree);
      if (!problems.isEmpty()) {
        var first = problems.getFirst();
        // the validator quotes the bad value; for the token that would echo a secret
        var token = tree.path("token").asText("");
        var message = !token.isEmpty() && first.message().contains(token)
            ? "token: not a claim token (flt1.<secret>.<root>)" : first.message();
        return Checked.refused(400, "claim request: " + message);
      }
      request = json.treeToValue(tree, ClaimRequest.class);
    } catch (JacksonException e) {
      return Checked.refused(400, "claim request: not JSON: " + e.getOriginalMessage().replaceAll("\"[^\"]*\"", "\"…\""));
    }
    var badKey = Enrolment.keyRefusal(request.getPublicKey());
    if (badKey != null) {
      return Checked.refused(badKey.status(), badKey.message());
    }
    var headers = exchange.getRequestHeaders();
    var why = RequestSignature.check(Keys.parsePublicPem(request.getPublicKey()), SIGNER, "POST",
        exchange.getRequestURI().getRawPath(), body, headers.getFirst(RequestSignature.DATE),
        headers.getFirst(RequestSignature.SIGNATURE), clock.instant());
    if (why != null || !SIGNER.equals(headers.getFirst(RequestSignature.DEVICE))) {
      return Checked.refused(401, "claim request: " + (why == null ? "not signed as '" + SIGNER + "'" : why)
          + "; sign it with the key it carries");
    }
    var identity = request.getIdentity();
    if (!identity.getIdentityHash().equals(identityHash(identity.getMachineId()))) {
      return Checked.refused(400, "claim request: identityHash is not sha256 of 'linux:<machineId>'");
    }
    return new Checked(request, null);
  }

  private static ClaimDesk.Outcome refused(int status, String message) {
    return new ClaimDesk.Outcome(status, "refused", null, null, null, message);
  }

  static String identityHash(String machineId) {
    return Digest.sha256(("linux:" + machineId).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
