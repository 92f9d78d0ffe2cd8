package dev.flotilla.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One POST of a payload to a webhook, signed: {@code X-Flotilla-Timestamp} (Unix seconds) and
 * {@code X-Flotilla-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}, so a receiver can check both the
 * sender and the freshness. Redirects are not followed.
 */
final class Delivery {
  static final String TIMESTAMP = "X-Flotilla-Timestamp";
  static final String SIGNATURE = "X-Flotilla-Signature";
  static final String EVENT = "X-Flotilla-Event";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** The receiver's status, or an exception saying why it could not be reached. */
  int post(URI url, byte[] body, String kind, byte[] secret, Instant now) throws IOException, InterruptedException {
    var timestamp = Long.toString(now.getEpochSecond());
    var request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", "flotilla-reconciler")
        .header(EVENT, kind)
        .header(TIMESTAMP, timestamp)
        .header(SIGNATURE, signature(secret, timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** {@code sha256=<hex>} of HMAC-SHA256({@code secret}, {@code "<timestamp>.<body>"}); what receivers recompute. */
  static String signature(byte[] secret, String timestamp, byte[] body) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }
}
