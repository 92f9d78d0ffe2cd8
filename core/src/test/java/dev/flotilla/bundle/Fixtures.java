package dev.flotilla.bundle;

import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.DesiredState;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustRoots;
import java.security.KeyPair;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A fleet's keys and root, and bundle payloads for device kiosk-1, at a fixed time. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final String IDENTITY = "sha256:" + "ab".repeat(32);
  final KeyPair root = Keys.generate();
  final KeyPair signer = Keys.generate();
  final KeyPair artifacts = Keys.generate();
  final TrustRoot trustRoot = root(Instant.parse("2027-01-01T00:00:00Z"));

  TrustRoot root(Instant expires) {
    return TrustRoots.sign(TrustRoots.body("acme-fleet", 1, expires,
        Map.of(KeyRole.ROOT, List.of(root.getPublic()), KeyRole.BUNDLE_SIGNER, List.of(signer.getPublic()),
            KeyRole.ARTIFACT_SIGNER, List.of(artifacts.getPublic())),
        Map.of()), List.of(root));
  }

  static BundlePayload payload(long version) {
    var payload = new BundlePayload();
    payload.setApiVersion("flotilla.dev/v1");
    payload.setKind("Bundle");
    payload.setFleet("acme-fleet");
    payload.setTenant("acme");
    payload.setDevice("kiosk-1");
    payload.setIdentityHash(IDENTITY);
    payload.setVersion(version);
    payload.setIssuedAt(NOW.minusSeconds(60).atOffset(ZoneOffset.UTC));
    payload.setExpiresAt(NOW.plusSeconds(3600).atOffset(ZoneOffset.UTC));
    payload.setSourceCommit("0123456789abcdef0123456789abcdef01234567");
    payload.setRootVersion(1L);
    var state = new DesiredState();
    state.setSysctl(new TreeMap<>(Map.of("net.ipv4.ip_forward", "1")));
    payload.setState(state);
    return payload;
  }

  byte[] signed(BundlePayload payload) {
    return new BundleSigner(signer).sign(BundlePayloads.encode(payload));
  }

  static Expectation expectation(long lastAccepted) {
    return new Expectation("acme-fleet", "kiosk-1", IDENTITY, lastAccepted);
  }
}
