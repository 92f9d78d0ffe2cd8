package dev.flotilla.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Base64;

/**
 * The parts of a Sigstore bundle that verification reads, taken in one streaming pass over its raw bytes. The
 * payload is never held, as text or as bytes: only where its base64 lies in the raw bytes is kept, and {@link
 * #payload} decodes it from there as it is read, once to check the signature and once to parse it. Every other string is capped at {@link #MAX_STRING} characters,
 * so an unverified bundle cannot make the parser hold a large one. Immutable.
 *
 * @param payloadAt offset of the payload's base64 in the raw bytes; -1 when the envelope has no payload string, -2
 *     when the string holds an escape (a base64 text never needs one)
 * @param payloadEnd offset just past it
 * @param signatures the envelope's {@code signatures} member, or a missing node
 */
record Envelope(String mediaType, boolean hasEnvelope, String hint, String payloadType, int payloadAt, int payloadEnd,
    JsonNode signatures) {
  static final int MAX_STRING = 64 * 1024;
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING).build())
      .build();
  private static final ObjectMapper TREES = new ObjectMapper(JSON);

  /** Reads the envelope of {@code raw}; a refusal (MALFORMED) when it is not a JSON object. */
  static Envelope read(byte[] raw) throws TrustException {
    try (var parser = JSON.createParser(raw)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new TrustException(Refusal.MALFORMED, "verify bundle: not a Sigstore bundle v0.3 (mediaType '"
            + BundleFormat.MEDIA_TYPE + "')");
      }
      var parts = new Parts();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        var name = parser.currentName();
        parser.nextToken();
        switch (name) {
          case "mediaType" -> parts.mediaType = parser.currentToken().isScalarValue() ? parser.getText() : "";
          case "verificationMaterial" -> parts.hint = tree(parser).path("publicKey").path("hint").asText("");
          case "dsseEnvelope" -> parts.envelope(parser, raw);
          default -> parser.skipChildren();
        }
      }
      return parts.envelope();
    } catch (JacksonException e) {
      throw new TrustException(Refusal.MALFORMED, "verify bundle: not JSON (truncated or garbage download?): "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new TrustException(Refusal.MALFORMED, "verify bundle: " + e.getMessage());
    }
  }

  /** The value the parser is at, as a tree; a missing node for JSON null. */
  private static JsonNode tree(JsonParser parser) throws IOException {
    JsonNode node = TREES.readValue(parser, JsonNode.class);
    return node == null ? MissingNode.getInstance() : node;
  }

  /**
   * How many bytes the payload decodes to, from the length of its base64, after checking that it is plain
   * base64 (the alphabet, padding only at the end); -1 when there is none.
   *
   * @throws IllegalArgumentException when it is not plain base64
   */
  int payloadLength(byte[] raw) {
    if (payloadAt == -1) {
      return -1;
    }
    int length = payloadEnd - payloadAt;
    int padding = 0;
    if (payloadAt < 0 || length % 4 == 1) {
      throw new IllegalArgumentException("not base64");
    }
    for (int i = payloadAt; i < payloadEnd; i++) {
      var b = raw[i];
      if (b == '=' && length % 4 == 0 && i >= payloadEnd - 2 && (i == payloadEnd - 1 || raw[i + 1] == '=')) {
        padding++;
      } else if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/')) {
        throw new IllegalArgumentException("not base64");
      }
    }
    return length / 4 * 3 + (length % 4 == 0 ? -padding : length % 4 - 1);
  }

  /** The payload, decoded from {@code raw} (the bytes this envelope was read from) as it is read. */
  InputStream payload(byte[] raw) {
    return Base64.getDecoder().wrap(new ByteArrayInputStream(raw, payloadAt, payloadEnd - payloadAt));
  }

  /** What the pass has found so far. */
  private static final class Parts {
    String mediaType = "";
    boolean hasEnvelope;
    String hint = "";
    String payloadType = "";
    int payloadAt = -1;
    int payloadEnd = -1;
    JsonNode signatures = MissingNode.getInstance();

    void envelope(JsonParser parser, byte[] raw) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return;
      }
      hasEnvelope = true;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        var name = parser.currentName();
        var token = parser.nextToken();
        switch (name) {
          case "payload" -> {
            if (token == JsonToken.VALUE_STRING) {
              locatePayload(raw, (int) parser.currentTokenLocation().getByteOffset());
            }
          }
          case "payloadType" -> payloadType = token.isScalarValue() ? parser.getText() : "";
          case "signatures" -> signatures = tree(parser);
          default -> parser.skipChildren();
        }
      }
    }

    /** Finds the payload string's content from its opening quote; an escape in it leaves it unlocated. */
    private void locatePayload(byte[] raw, int quote) {
      int end = quote + 1;
      while (end < raw.length && raw[end] != '"' && raw[end] != '\\') {
        end++;
      }
      var plain = raw[quote] == '"' && end < raw.length && raw[end] == '"';
      payloadAt = plain ? quote + 1 : -2;
      payloadEnd = plain ? end : -2;
    }

    Envelope envelope() {
      return new Envelope(mediaType, hasEnvelope, hint, payloadType, payloadAt, payloadEnd, signatures);
    }
  }
}
