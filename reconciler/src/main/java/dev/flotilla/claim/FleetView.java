package dev.flotilla.claim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.git.CommitTree;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a claim is checked against, read from one commit of the fleet repo (and the pending claims): the claim
 * tokens by hash, and every device's name, identity hash, key id and the token it enrolled with. Files that do not
 * parse are skipped here; validation reports them. Mutable only through {@link #add}, which {@link Enrolment} uses
 * to see the claims earlier in the same batch.
 */
public final class FleetView {
  /** A claim token as the commit has it. */
  public record Token(String name, String tenant, Instant expires, int maxUses, boolean revoked, boolean autoApprove,
      String channel, Map<String, String> labels) {}

  /** A device, enrolled or pending, as far as claims care. */
  public record Member(String name, String tenant, String identityHash, String keyId, String token, boolean pending) {}

  private final Map<String, Token> tokensByHash = new HashMap<>();
  private final List<Member> members = new ArrayList<>();

  public static FleetView of(CommitTree tree, List<PendingClaim> pending) throws IOException {
    var view = new FleetView();
    var reader = new YamlReader();
    for (var path : tree == null ? List.<String>of() : tree.paths()) {
      var parts = path.split("/");
      if (parts.length != 4 || !parts[0].equals("tenants") || !parts[3].endsWith(".yaml")) {
        continue;
      }
      JsonNode node;
      try {
        node = reader.read(tree.read(path, YamlReader.MAX_BYTES));
      } catch (RuntimeException | IOException | dev.flotilla.schema.DocumentException e) {
        continue; // an unreadable file is the validator's to report; it cannot hold a usable token
      }
      switch (parts[2]) {
        case "claim-tokens" -> view.token(node, parts[1]);
        case "devices" -> view.device(node, parts[1]);
        default -> { }
      }
    }
    for (var claim : pending) {
      if (view.members.stream().noneMatch(m -> claim.identityHash().equals(m.identityHash()))) {
        view.add(claim.member());
      }
    }
    return view;
  }

  public Token token(String hash) {
    return tokensByHash.get(hash);
  }

  /** The token called {@code name} in {@code tenant}, or null. */
  public Token tokenNamed(String tenant, String name) {
    return tokensByHash.values().stream().filter(t -> t.tenant().equals(tenant) && t.name().equals(name))
        .findFirst().orElse(null);
  }

  /** A member with this identity hash or key id, or null. */
  public Member holding(String identityHash, String keyId) {
    return members.stream().filter(m -> identityHash.equals(m.identityHash())
            || keyId != null && keyId.equals(m.keyId()))
        .findFirst().orElse(null);
  }

  public List<Member> members() {
    return members;
  }

  public void add(Member member) {
    members.add(member);
  }

  public long uses(Token token) {
    return members.stream().filter(m -> token.name().equals(m.token()) && token.tenant().equals(m.tenant())).count();
  }

  private void token(JsonNode node, String tenant) {
    var spec = node.path("spec");
    var labels = new java.util.TreeMap<String, String>();
    spec.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    Instant expires;
    try {
      expires = OffsetDateTime.parse(spec.path("expiresAt").asText()).toInstant();
    } catch (RuntimeException e) {
      return;
    }
    tokensByHash.put(spec.path("tokenHash").asText(), new Token(node.path("metadata").path("name").asText(), tenant,
        expires, spec.path("maxUses").asInt(0), spec.path("revoked").asBoolean(false),
        spec.path("autoApprove").asBoolean(false), spec.path("channel").asText("prod"), labels));
  }

  private void device(JsonNode node, String tenant) {
    var spec = node.path("spec");
    String keyId = null;
    if (spec.hasNonNull("publicKey")) {
      keyId = PendingClaim.keyIdOf(spec.path("publicKey").asText());
    }
    var identity = spec.path("identity");
    members.add(new Member(node.path("metadata").path("name").asText(), tenant,
        identity.path("hash").asText(null), keyId, identity.path("claimToken").asText(null), false));
  }
}
