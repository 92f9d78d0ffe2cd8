package dev.flotilla.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RootVerifierTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final Instant LATER = Instant.parse("2027-06-01T00:00:00Z");
  final RootVerifier verifier = new RootVerifier(Clock.fixed(NOW, ZoneOffset.UTC));
  final KeyPair oldRoot = Keys.generate();
  final KeyPair newRoot = Keys.generate();
  final KeyPair signer = Keys.generate();

  static TrustRoot root(int version, Instant expires, List<KeyPair> rootKeys, int threshold, List<KeyPair> signers) {
    return TrustRoots.sign(TrustRoots.body("acme-fleet", version, expires,
        Map.of(KeyRole.ROOT, rootKeys.stream().map(KeyPair::getPublic).toList()),
        Map.of(KeyRole.ROOT, threshold)), signers);
  }

  Refusal refusal(ThrowingCall call) {
    return catchThrowableOfType(TrustException.class, call::run).refusal();
  }

  interface ThrowingCall {
    void run() throws TrustException;
  }

  @Test
  void rotationSignedByOldAndNewRootKeysIsTrusted() throws TrustException {
    var v1 = verifier.trustInitial(root(1, LATER, List.of(oldRoot), 1, List.of(oldRoot)));
    var v2 = root(2, LATER, List.of(newRoot), 1, List.of(oldRoot, newRoot));

    assertThat(verifier.update(v1, List.of(v2)).getSigned().getVersion()).isEqualTo(2);
  }

  @Test
  void refusesRotationSignedOnlyByTheOldKeys() {
    var v1 = root(1, LATER, List.of(oldRoot), 1, List.of(oldRoot));
    var v2 = root(2, LATER, List.of(newRoot), 1, List.of(oldRoot));

    assertThat(refusal(() -> verifier.rotate(v1, v2))).isEqualTo(Refusal.ROOT_ROTATION);
  }

  @Test
  void refusesRotationSignedOnlyByTheNewKeys() {
    var v1 = root(1, LATER, List.of(oldRoot), 1, List.of(oldRoot));
    var v2 = root(2, LATER, List.of(newRoot), 1, List.of(newRoot));

    var e = catchThrowableOfType(TrustException.class, () -> verifier.rotate(v1, v2));
    assertThat(e).hasMessage("verify trust root version 2: 0 valid signature(s) of the old root's root keys, 1 needed");
  }

  @Test
  void refusesRotationShortOfAThresholdOfTwo() {
    var v1 = root(1, LATER, List.of(oldRoot, signer), 2, List.of(oldRoot, signer));
    var v2 = root(2, LATER, List.of(newRoot), 1, List.of(oldRoot, oldRoot, newRoot));

    assertThat(refusal(() -> verifier.rotate(v1, v2))).isEqualTo(Refusal.ROOT_ROTATION);
  }

  @Test
  void refusesSkippedVersion() {
    var v1 = root(1, LATER, List.of(oldRoot), 1, List.of(oldRoot));
    var v3 = root(3, LATER, List.of(oldRoot), 1, List.of(oldRoot));

    assertThat(refusal(() -> verifier.rotate(v1, v3))).isEqualTo(Refusal.ROOT_ROTATION);
  }

  @Test
  void expiredIntermediateRootIsFineButAnExpiredFinalRootIsNot() throws TrustException {
    var v1 = root(1, NOW.minusSeconds(10), List.of(oldRoot), 1, List.of(oldRoot));
    var v2 = root(2, LATER, List.of(oldRoot), 1, List.of(oldRoot));
    assertThat(verifier.update(v1, List.of(v2)).getSigned().getVersion()).isEqualTo(2);

    var v2expired = root(2, NOW.minusSeconds(5), List.of(oldRoot), 1, List.of(oldRoot));
    assertThat(refusal(() -> verifier.update(v1, List.of(v2expired)))).isEqualTo(Refusal.ROOT_EXPIRED);
  }

  @Test
  void trustsTheTemplateRootSignedWithOpensslAndPythonCanonicalJson() throws Exception {
    var root = TrustRoots.parse(Files.readAllBytes(Path.of("../fleet-repo-template/trust/root.json")));

    assertThat(verifier.trustInitial(root).getSigned().getFleet()).isEqualTo("example-fleet");
    assertThat(TrustRoots.keys(root, KeyRole.BUNDLE_SIGNER)).hasSize(1);
  }

  @Test
  void parseRoundTripsThroughToJson() throws TrustException {
    var root = root(1, LATER, List.of(oldRoot), 1, List.of(oldRoot));

    var again = TrustRoots.parse(TrustRoots.toJson(root));
    assertThat(TrustRoots.signedBytes(again)).isEqualTo(TrustRoots.signedBytes(root));
    assertThat(verifier.trustInitial(again)).isNotNull();
  }

  @Test
  void parseRefusesDuplicateKeysAndUnknownFields() {
    assertThat(catchThrowableOfType(TrustException.class,
        () -> TrustRoots.parse("{\"signed\":{},\"signed\":{}}".getBytes())).refusal()).isEqualTo(Refusal.MALFORMED);
    assertThat(catchThrowableOfType(TrustException.class,
        () -> TrustRoots.parse("{\"signed\":{},\"signatures\":[],\"x\":1}".getBytes())).refusal())
        .isEqualTo(Refusal.MALFORMED);
  }
}
