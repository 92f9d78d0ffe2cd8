package dev.flotilla.trust;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.RootSignature;
import dev.flotilla.model.TrustKey;
import dev.flotilla.model.TrustRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.model.TrustRootBody;
import dev.flotilla.schema.SchemaValidator;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The trust root document ({@code trust/root.json}): parsing it strictly, writing it, making and signing a new
 * one, and looking up the keys of a role. Signatures cover the canonical JSON of {@code signed}. Pure; thread-safe.
 */
public final class TrustRoots {
  public static final String SCHEME = "ecdsa-p256-sha256";
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      .build();
  private static final SchemaValidator VALIDATOR = new SchemaValidator();

  private TrustRoots() {}

  public static TrustRoot parse(byte[] json) throws TrustException {
    try {
      var tree = JSON.readTree(json);
      if (tree == null) {
        throw new TrustException(Refusal.MALFORMED, "read trust root: empty document");
      }
      var problems = VALIDATOR.validate("root.json", "trust-root.yaml", tree);
      if (!problems.isEmpty()) {
        var first = problems.getFirst();
        throw new TrustException(Refusal.MALFORMED, "read trust root: " + first.message());
      }
      return requireP256(JSON.treeToValue(tree, TrustRoot.class));
    } catch (JacksonException e) {
      throw new TrustException(Refusal.MALFORMED, "read trust root: not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new TrustException(Refusal.MALFORMED, "read trust root: " + e.getMessage());
    }
  }

  /** {@code root} when every key it lists is one {@link Keys#parsePublicPem} takes; else refused as malformed. */
  private static TrustRoot requireP256(TrustRoot root) throws TrustException {
    for (var key : root.getSigned().getKeys()) {
      var refused = Keys.refusal(key.getPublicKey());
      if (refused != null) {
        throw new TrustException(Refusal.MALFORMED, "read trust root: key " + key.getId() + ": " + refused.reason()
            + "; trust-root keys are ECDSA P-256 ('flotilla keys rotate' makes them)");
      }
    }
    return root;
  }

  /** Pretty-printed JSON, two-space indent, trailing newline. */
  public static byte[] toJson(TrustRoot root) {
    try {
      var text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
      return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes root signatures cover. */
  public static byte[] signedBytes(TrustRoot root) {
    return CanonicalJson.encode(root.getSigned());
  }

  public static TrustRootBody body(String fleet, int version, Instant expires, Map<KeyRole, List<PublicKey>> keysByRole,
      Map<KeyRole, Integer> thresholds) {
    var body = new TrustRootBody();
    body.setApiVersion("flotilla.dev/v1");
    body.setKind("TrustRoot");
    body.setFleet(fleet);
    body.setVersion((long) version);
    body.setExpires(expires.atOffset(ZoneOffset.UTC));
    var keys = new LinkedHashMap<String, TrustKey>();
    var roles = new ArrayList<TrustRole>();
    keysByRole.forEach((role, list) -> {
      var ids = new ArrayList<String>();
      for (var key : list) {
        var id = Keys.keyId(key);
        ids.add(id);
        keys.computeIfAbsent(id, i -> {
          var trustKey = new TrustKey();
          trustKey.setId(i);
          trustKey.setScheme(SCHEME);
          trustKey.setPublicKey(Keys.publicPem(key));
          return trustKey;
        });
      }
      var trustRole = new TrustRole();
      trustRole.setRole(role);
      trustRole.setKeyIds(new LinkedHashSet<>(ids));
      trustRole.setThreshold((long) thresholds.getOrDefault(role, 1));
      roles.add(trustRole);
    });
    body.setKeys(new ArrayList<>(keys.values()));
    body.setRoles(roles);
    return body;
  }

  /** A root with one signature per signer over the canonical {@code signed} body. */
  public static TrustRoot sign(TrustRootBody body, List<KeyPair> signers) {
    var root = new TrustRoot();
    root.setSigned(body);
    var bytes = CanonicalJson.encode(body);
    var signatures = new ArrayList<RootSignature>();
    for (var signer : signers) {
      var signature = new RootSignature();
      signature.setKeyId(Keys.keyId(signer.getPublic()));
      signature.setSig(Base64.getEncoder().encodeToString(Keys.sign(signer.getPrivate(), bytes)));
      signatures.add(signature);
    }
    root.setSignatures(signatures);
    return root;
  }

  /** The public keys of {@code role}, in the order the root lists them. */
  public static List<PublicKey> keys(TrustRoot root, KeyRole role) {
    var byId = byId(root);
    var out = new ArrayList<PublicKey>();
    for (var r : root.getSigned().getRoles()) {
      if (r.getRole() == role) {
        r.getKeyIds().forEach(id -> {
          if (byId.containsKey(id)) {
            out.add(byId.get(id));
          }
        });
      }
    }
    return out;
  }

  public static int threshold(TrustRoot root, KeyRole role) {
    return root.getSigned().getRoles().stream().filter(r -> r.getRole() == role)
        .mapToInt(r -> r.getThreshold().intValue()).findFirst().orElse(Integer.MAX_VALUE);
  }

  /** Every key of the root by id, whatever its role. */
  public static Map<String, PublicKey> byId(TrustRoot root) {
    var out = new LinkedHashMap<String, PublicKey>();
    for (var key : root.getSigned().getKeys()) {
      try {
        out.put(key.getId(), Keys.parsePublicPem(key.getPublicKey()));
      } catch (IllegalArgumentException e) {
        // a key that does not parse can sign nothing; leaving it out makes its signatures count for nothing
      }
    }
    return out;
  }
}
