package dev.flotilla.auth;

import dev.flotilla.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * How a device proves who it is on every request: it signs the method, the path with its query, the time and the
 * body's sha256 with the private key whose public half is in its Device file, and sends three headers. The server
 * checks the signature with the key of the device named in the path, and the time against its own clock (requests
 * older or newer than {@link #MAX_SKEW} are refused, which bounds replay). TLS (server-authenticated) protects the
 * channel; this header scheme authenticates the device, so a load balancer may terminate TLS without breaking it.
 * Pure; thread-safe.
 */
public final class RequestSignature {
  public static final String DEVICE = "Flotilla-Device";
  public static final String DATE = "Flotilla-Date";
  public static final String SIGNATURE = "Flotilla-Signature";
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private RequestSignature() {}

  /** The three headers for a request by {@code device}. */
  public static Map<String, String> sign(PrivateKey key, String device, String method, String pathAndQuery,
      byte[] body, Instant now) {
    var date = Long.toString(now.getEpochSecond());
    try {
      var signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(key);
      signature.update(message(device, method, pathAndQuery, date, body));
      return Map.of(DEVICE, device, DATE, date, SIGNATURE, Base64.getEncoder().encodeToString(signature.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sign request: " + e.getMessage(), e);
    }
  }

  /**
   * Checks a request's headers; returns null when they hold, or why not (a message for the log, never for the
   * client, which only learns 401).
   */
  public static String check(PublicKey key, String device, String method, String pathAndQuery, byte[] body,
      String dateHeader, String signatureHeader, Instant now) {
    return check(key, device, method, pathAndQuery, body, dateHeader, signatureHeader, now, null);
  }

  /**
   * {@link #check}, skipping the ECDSA verify when {@code verified} (null for none) holds exactly this key,
   * message and signature, and adding the signature to it when it verifies. The date is checked against
   * {@code now} first either way, so a cached signature stops working when it leaves the skew window.
   */
  public static String check(PublicKey key, String device, String method, String pathAndQuery, byte[] body,
      String dateHeader, String signatureHeader, Instant now, VerifiedSignatures verified) {
    if (signatureHeader == null) {
      return "no " + SIGNATURE + " header";
    }
    var stale = checkDate(dateHeader, now);
    if (stale != null) {
      return stale;
    }
    try {
      var message = message(device, method, pathAndQuery, dateHeader, body);
      if (verified != null && verified.contains(key, message, signatureHeader)) {
        return null;
      }
      if (!verify(key, message, signatureHeader)) {
        return "bad request signature";
      }
      if (verified != null) {
        verified.add(key, message, signatureHeader);
      }
      return null;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "bad request signature: " + e.getMessage();
    }
  }

  /**
   * The part of {@link #check} that needs only the date header: null when it is within {@link #MAX_SKEW} of
   * {@code now}, else why not. Lets a server refuse a stale request before reading its body.
   */
  public static String checkDate(String dateHeader, Instant now) {
    if (dateHeader == null) {
      return "no " + DATE + " header";
    }
    long seconds;
    try {
      seconds = Long.parseLong(dateHeader);
    } catch (NumberFormatException e) {
      return "malformed " + DATE + " header";
    }
    if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
      return "request time " + Instant.ofEpochSecond(seconds) + " is more than " + MAX_SKEW.toMinutes()
          + " minutes from the server's " + now + "; check the device's clock";
    }
    return null;
  }

  private static boolean verify(PublicKey key, byte[] message, String signatureHeader) throws GeneralSecurityException {
    var signature = Signature.getInstance("SHA256withECDSA");
    signature.initVerify(key);
    signature.update(message);
    return signature.verify(Base64.getDecoder().decode(signatureHeader));
  }

  private static byte[] message(String device, String method, String pathAndQuery, String date, byte[] body)
      throws GeneralSecurityException {
    var bodyHash = Digest.sha256(body).hex();
    return String.join("\n", "flotilla-request-v1", device, method, pathAndQuery, date, bodyHash)
        .getBytes(StandardCharsets.UTF_8);
  }
}
