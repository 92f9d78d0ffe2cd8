package dev.flotilla.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.trust.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {
  static final String PATH = "/v1/devices/kiosk-1/bundle?wait=30s";
  final java.security.KeyPair key = Keys.generate();
  final Instant now = Instant.parse("2026-12-01T12:00:00Z");
  final VerifiedSignatures verified = new VerifiedSignatures(100);
  final java.util.Map<String, String> headers = RequestSignature.sign(key.getPrivate(), "kiosk-1", "GET", PATH,
      new byte[0], now);

  String check(java.security.PublicKey publicKey, String device, String path, Instant at) {
    return RequestSignature.check(publicKey, device, "GET", path, new byte[0], headers.get(RequestSignature.DATE),
        headers.get(RequestSignature.SIGNATURE), at, verified);
  }

  @Test
  void aVerifiedSignatureIsCachedAndAcceptedAgain() {
    assertThat(check(key.getPublic(), "kiosk-1", PATH, now)).isNull();
    assertThat(verified.size()).isEqualTo(1);
    assertThat(check(key.getPublic(), "kiosk-1", PATH, now.plusSeconds(60))).isNull();
    assertThat(verified.size()).isEqualTo(1);
  }

  @Test
  void aCachedSignatureIsNotAcceptedForAnotherPathDeviceOrKey() {
    assertThat(check(key.getPublic(), "kiosk-1", PATH, now)).isNull();

    assertThat(check(key.getPublic(), "kiosk-1", "/v1/devices/kiosk-1/bundle", now)).startsWith("bad request signature");
    assertThat(check(key.getPublic(), "kiosk-2", PATH, now)).startsWith("bad request signature");
    assertThat(check(Keys.generate().getPublic(), "kiosk-1", PATH, now)).startsWith("bad request signature");
    assertThat(verified.size()).isEqualTo(1);
  }

  @Test
  void aCachedSignatureWhoseDateLeftTheSkewWindowIsRefused() {
    assertThat(check(key.getPublic(), "kiosk-1", PATH, now)).isNull();

    assertThat(check(key.getPublic(), "kiosk-1", PATH, now.plus(RequestSignature.MAX_SKEW).plusSeconds(1)))
        .contains("more than 5 minutes");
  }

  @Test
  void aCacheHitSkipsTheVerifyAndAMissVerifies() {
    var bogus = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
    var emptyBody = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    var message = String.join("\n", "flotilla-request-v1", "kiosk-1", "GET", PATH, headers.get(RequestSignature.DATE),
        emptyBody).getBytes(StandardCharsets.UTF_8);
    var checked = RequestSignature.check(key.getPublic(), "kiosk-1", "GET", PATH, new byte[0],
        headers.get(RequestSignature.DATE), bogus, now, verified);
    assertThat(checked).as("a miss verifies").startsWith("bad request signature");
    assertThat(verified.size()).isZero();

    verified.add(key.getPublic(), message, bogus);
    checked = RequestSignature.check(key.getPublic(), "kiosk-1", "GET", PATH, new byte[0],
        headers.get(RequestSignature.DATE), bogus, now, verified);
    assertThat(checked).as("a hit is trusted without a verify").isNull();
  }

  @Test
  void theCacheStaysBoundedAndDropsTheOldest() {
    var small = new VerifiedSignatures(3);
    for (int i = 0; i < 5; i++) {
      small.add(key.getPublic(), ("message " + i).getBytes(StandardCharsets.UTF_8), "s");
    }
    assertThat(small.size()).isEqualTo(3);
    assertThat(small.contains(key.getPublic(), "message 0".getBytes(StandardCharsets.UTF_8), "s")).isFalse();
    assertThat(small.contains(key.getPublic(), "message 1".getBytes(StandardCharsets.UTF_8), "s")).isFalse();
    assertThat(small.contains(key.getPublic(), "message 4".getBytes(StandardCharsets.UTF_8), "s")).isTrue();
  }
}
