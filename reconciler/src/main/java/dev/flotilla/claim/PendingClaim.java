package dev.flotilla.claim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.trust.Keys;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * A claim waiting for {@code flotilla claim approve}, as stored on the fleet repo's {@code claims} branch at
 * {@code pending/<id>.yaml} (and at {@code rejected/<id>.yaml} once refused). It holds everything the Device file
 * will need — never the token itself, only the token's name. Immutable.
 */
public record PendingClaim(String id, String tenant, String device, String token, String channel,
    Map<String, String> labels, String identityHash, String publicKey, String hostname, String os,
    String architecture, String dmiProductUuid, Instant requestedAt) {
  public static final String BRANCH = "claims";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE))
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** A claim's id: {@code c} and the first 20 hex digits of its public key's id, so a retry finds its claim. */
  public static String id(String publicKeyPem) {
    return "c" + Keys.keyId(Keys.parsePublicPem(publicKeyPem)).substring(0, 20);
  }

  public static String pendingPath(String id) {
    return "pending/" + id + ".yaml";
  }

  public static String rejectedPath(String id) {
    return "rejected/" + id + ".yaml";
  }

  public FleetView.Member member() {
    return new FleetView.Member(device, tenant, identityHash, keyIdOf(publicKey), token, true);
  }

  /**
   * The id of the key, or null for a text {@link Keys#parsePublicPem} refuses (such as a claim stored by an older
   * reconciler that took any key); such a claim is refused when approved.
   */
  public static String keyIdOf(String publicKeyPem) {
    return Keys.refusal(publicKeyPem) != null ? null : Keys.keyId(Keys.parsePublicPem(publicKeyPem));
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("write claim " + id + ": " + e.getMessage(), e);
    }
  }

  public static PendingClaim parse(byte[] yaml) throws IOException {
    return YAML.readValue(yaml, PendingClaim.class);
  }
}
