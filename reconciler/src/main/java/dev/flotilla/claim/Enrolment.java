package dev.flotilla.claim;

import dev.flotilla.claim.FleetView.Member;
import dev.flotilla.digest.Digest;
import dev.flotilla.model.ClaimRequest;
import dev.flotilla.trust.Keys;
import java.time.Instant;
import java.util.Locale;

/**
 * Decides one claim against a {@link FleetView}: the token exists, is not revoked or expired and has uses left
 * (counted from the Device files and pending claims that name it); the identity and the public key are not
 * already someone else's; the name is free. A retry of a claim that already went through gives the same answer
 * again. Pure apart from {@link FleetView#add}, which records an accepted claim so the next one in a batch sees it.
 */
public final class Enrolment {
  private static final String NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  private Enrolment() {}

  /** What became of a claim. */
  public sealed interface Decision permits Enrol, Pend, Already, Refused {}

  /** Commit this Device file now (auto-approve). */
  public record Enrol(PendingClaim claim) implements Decision {}

  /** Store this claim on the claims branch until an operator approves it. */
  public record Pend(PendingClaim claim) implements Decision {}

  /** The same device claimed before: nothing to write; {@code pending} says whether it still waits. */
  public record Already(String id, Member member, boolean pending) implements Decision {}

  /** Refused, with the HTTP status and a message safe to show the device (never the token). */
  public record Refused(int status, String message) implements Decision {}

  public static Decision decide(FleetView view, ClaimRequest request, String tokenHash, Instant now) {
    var badKey = keyRefusal(request.getPublicKey());
    if (badKey != null) {
      return badKey;
    }
    var id = PendingClaim.id(request.getPublicKey());
    var keyId = PendingClaim.keyIdOf(request.getPublicKey());
    var identity = request.getIdentity().getIdentityHash();
    for (var member : view.members()) {
      if (identity.equals(member.identityHash()) && keyId.equals(member.keyId())) {
        return new Already(id, member, member.pending());
      }
    }
    var name = request.getName() != null ? request.getName() : defaultName(request);
    var token = view.token(tokenHash);
    if (token == null) {
      return new Refused(403, "claim: unknown claim token; check the token file, or ask for a new token");
    }
    var conflict = conflict(view, identity, keyId);
    if (conflict != null) {
      return conflict;
    }
    var refused = check(view, token, name, now);
    if (refused != null) {
      return refused;
    }
    var i = request.getIdentity();
    var claim = new PendingClaim(id, token.tenant(), name, token.name(), token.channel(), token.labels(), identity,
        request.getPublicKey(), i.getHostname(), i.getOs(), i.getArchitecture(), i.getDmiProductUuid(), now);
    view.add(new Member(name, token.tenant(), identity, keyId, token.name(), !token.autoApprove()));
    return token.autoApprove() ? new Enrol(claim) : new Pend(claim);
  }

  /** A claim refused for its public key, by the rule every reader of keys applies; null for an ECDSA P-256 key. */
  public static Refused keyRefusal(String publicKeyPem) {
    var refused = Keys.refusal(publicKeyPem);
    return refused == null ? null : new Refused(400, "claim request: publicKey: " + refused.reason()
        + "; devices claim with an ECDSA P-256 key pair");
  }

  /**
   * Decides a pending claim an operator approves, against the fleet as it is now: its key, token (still there, not
   * revoked or expired, uses left), identity, key and name are checked again, and the labels and channel it gets
   * are the ones its token grants now, not what the claims branch says. An {@link Enrol} to commit, or a refusal.
   */
  public static Decision approve(FleetView view, PendingClaim claim, Instant now) {
    var badKey = keyRefusal(claim.publicKey());
    if (badKey != null) {
      return badKey;
    }
    if (!claim.tenant().matches(NAME) || !claim.device().matches(NAME)) {
      return new Refused(400, "claim: tenant and device must be names (" + NAME + "); reject the claim");
    }
    var token = view.tokenNamed(claim.tenant(), claim.token());
    if (token == null) {
      return new Refused(403, "claim: token '" + claim.token() + "' is no longer in tenant '" + claim.tenant() + "'");
    }
    var refused = conflict(view, claim.identityHash(), PendingClaim.keyIdOf(claim.publicKey()));
    refused = refused != null ? refused : check(view, token, claim.device(), now);
    return refused != null ? refused : new Enrol(new PendingClaim(claim.id(), claim.tenant(), claim.device(),
        claim.token(), token.channel(), token.labels(), claim.identityHash(), claim.publicKey(), claim.hostname(),
        claim.os(), claim.architecture(), claim.dmiProductUuid(), claim.requestedAt()));
  }

  /** Refuses an identity already enrolled or pending (a cloned machine-id) and a public key already in use. */
  public static Refused conflict(FleetView view, String identity, String keyId) {
    for (var member : view.members()) {
      if (identity.equals(member.identityHash())) {
        return new Refused(409, "claim: identity " + identity + " is already enrolled as device '" + member.name()
            + "'; a cloned image? give the clone a new /etc/machine-id ('systemd-machine-id-setup')");
      }
      if (keyId.equals(member.keyId())) {
        return new Refused(409, "claim: this public key is already in use by device '" + member.name()
            + "'; make a new key pair for each device");
      }
    }
    return null;
  }

  /**
   * The checks that hold at claim time and again at approval: the token is not revoked or expired and has uses
   * left, and the name is free in the token's tenant. Null when they hold.
   */
  public static Refused check(FleetView view, FleetView.Token token, String name, Instant now) {
    var named = "claim: token '" + token.name() + "' of tenant '" + token.tenant() + "' ";
    if (token.revoked()) {
      return new Refused(403, named + "is revoked; ask for a new token");
    }
    if (!now.isBefore(token.expires())) {
      return new Refused(403, named + "expired at " + token.expires() + "; ask for a new token");
    }
    long used = view.uses(token);
    if (used >= token.maxUses()) {
      return new Refused(403, named + "has no uses left (" + used + " of " + token.maxUses() + " used); "
          + "ask for a new token");
    }
    for (var member : view.members()) {
      if (member.name().equals(name) && member.tenant().equals(token.tenant())) {
        return new Refused(409, "claim: device name '" + name + "' is taken in tenant '" + token.tenant()
            + "'; claim with another --name");
      }
    }
    return null;
  }

  /** The host name made a DNS label, and the start of the identity hash so two kiosks named alike differ. */
  static String defaultName(ClaimRequest request) {
    var hash = request.getIdentity().getIdentityHash().substring(Digest.PREFIX.length());
    var host = request.getIdentity().getHostname() == null ? ""
        : request.getIdentity().getHostname().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("^-+|-+$", "");
    host = host.length() > 48 ? host.substring(0, 48).replaceAll("-+$", "") : host;
    return (host.isEmpty() ? "device" : host) + "-" + hash.substring(0, host.isEmpty() ? 10 : 6);
  }
}
