package dev.flotilla.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.trust.CanonicalJson;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.TrustException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TreeMap;

/** A bundle's payload: canonical JSON out (same object, same bytes), strict schema-checked JSON in. */
public final class BundlePayloads {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .build();
  private static final SchemaValidator VALIDATOR = new SchemaValidator();

  /** What version, times and source commit add to a rendered payload at most, in bytes. */
  private static final int STAMP_BYTES = 256;

  private BundlePayloads() {}

  /**
   * An upper bound of the size of the signed bundle of a rendered payload whose canonical JSON, before {@link
   * #stamp}, is {@code unstampedLength} bytes: what the reconciler and {@code flotilla validate} hold against
   * {@link BundleFormat#MAX_BYTES}. Pure.
   */
  public static long signedSize(int unstampedLength) {
    return BundleFormat.signedSize((long) unstampedLength + STAMP_BYTES);
  }

  public static byte[] encode(BundlePayload payload) {
    return CanonicalJson.encode(payload);
  }

  /**
   * A signed payload's bytes from a rendered one: {@code unstamped} is the canonical JSON of a payload without
   * version, times and source commit, and the result is exactly {@link #encode} of that payload with them set, so a
   * payload is encoded once for both its content hash and its signature. Pure.
   */
  public static byte[] stamp(byte[] unstamped, long version, Instant issuedAt, Instant expiresAt, String commit) {
    // four members, sorted and written as Jackson's time module writes the payload's times: no tree to build and
    // walk (and, in a fresh JVM, to compile) per bundle
    var stamps = new TreeMap<String, Object>();
    stamps.put("version", version);
    stamps.put("issuedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(issuedAt.atOffset(ZoneOffset.UTC)));
    stamps.put("expiresAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(expiresAt.atOffset(ZoneOffset.UTC)));
    stamps.put("sourceCommit", commit);
    return CanonicalJson.merge(unstamped, CanonicalJson.encodeFlat(stamps));
  }

  /** A payload parsed and schema-checked from {@code json}, which is read to its end and closed. */
  public static BundlePayload decode(InputStream json) throws TrustException {
    return decode(json, "bundle-payload.yaml", BundlePayload.class, "read bundle payload");
  }

  /**
   * A signed payload of {@code type} parsed strictly (duplicate keys refused) from {@code json} (read to its end and
   * closed), checked against {@code schemaFile} before it is bound: bundles and receipts are read so.
   *
   * @throws TrustException INVALID_PAYLOAD, {@code <action>: <why>}, when it is no JSON object or fails its schema
   */
  public static <T> T decode(InputStream json, String schemaFile, Class<T> type, String action)
      throws TrustException {
    try (json) {
      var tree = JSON.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw new TrustException(Refusal.INVALID_PAYLOAD, action + ": not a JSON object");
      }
      var problems = VALIDATOR.validate("payload", schemaFile, tree);
      if (!problems.isEmpty()) {
        var first = problems.getFirst();
        var field = first.field() == null || first.field().isEmpty() ? "" : first.field() + ": ";
        throw new TrustException(Refusal.INVALID_PAYLOAD, action + ": " + field + first.message());
      }
      return JSON.treeToValue(tree, type);
    } catch (JacksonException e) {
      throw new TrustException(Refusal.INVALID_PAYLOAD, action + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new TrustException(Refusal.INVALID_PAYLOAD, action + ": " + e.getMessage());
    }
  }
}
