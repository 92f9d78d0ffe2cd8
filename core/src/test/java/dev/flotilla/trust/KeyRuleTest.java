package dev.flotilla.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.model.KeyRole;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule for every public key Flotilla reads, device, claim and trust-root keys alike: an ECDSA P-256 key in SPKI
 * PEM. Each row is refused by {@link Keys#refusal} and {@link Keys#parsePublicPem} with the same reason, and a trust
 * root listing such a key is refused as malformed.
 */
class KeyRuleTest {
  static Stream<Arguments> refusedKeys() throws Exception {
    var p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    var ed = KeyPairGenerator.getInstance("Ed25519");
    var noKey = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString("no key at all".getBytes())
        + "\n-----END PUBLIC KEY-----\n";
    return Stream.of(
        Arguments.of("P-384", Keys.publicPem(p384.generateKeyPair().getPublic()), "an ECDSA P-384 key", true),
        Arguments.of("RSA", Keys.publicPem(rsa.generateKeyPair().getPublic()), "an RSA key", true),
        Arguments.of("Ed25519", Keys.publicPem(ed.generateKeyPair().getPublic()), "an Ed25519 key", true),
        Arguments.of("PEM of no key", noKey, "not a PEM public key (its base64 is not a public key)", false),
        Arguments.of("OpenSSH", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI host",
            "not a PEM public key (an OpenSSH key)", false),
        Arguments.of("no PEM", "hello", "not a PEM public key (no '-----BEGIN PUBLIC KEY-----' block)", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedKeys")
  void refusesEveryKeyButP256WithItsReason(String name, String pem, String reason, boolean key) {
    assertThat(Keys.refusal(pem)).isEqualTo(new Keys.Refused(reason, key));
    assertThatThrownBy(() -> Keys.parsePublicPem(pem)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("read public key: " + reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedKeys")
  void refusesTrustRootListingSuchAKey(String name, String pem, String reason, boolean key) throws Exception {
    var signer = Keys.generate();
    var root = TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.parse("2030-01-01T00:00:00Z"),
        Map.of(KeyRole.ROOT, List.of(signer.getPublic())), Map.of(KeyRole.ROOT, 1)), List.of(signer));
    root.getSigned().getKeys().getFirst().setPublicKey(pem);

    assertThatThrownBy(() -> TrustRoots.parse(TrustRoots.toJson(root))).isInstanceOf(TrustException.class)
        .hasMessageStartingWith("read trust root: ");
    assertThat(TrustRoots.byId(root)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void takesP256KeysEverywhere() throws Exception {
    var pair = Keys.generate();
    var pem = Keys.publicPem(pair.getPublic());
    var root = TrustRoots.sign(TrustRoots.body("acme-fleet", 1, Instant.parse("2030-01-01T00:00:00Z"),
        Map.of(KeyRole.ROOT, List.of(pair.getPublic())), Map.of(KeyRole.ROOT, 1)), List.of(pair));

    assertThat(Keys.refusal(pem)).isNull();
    assertThat(Keys.keyId(Keys.parsePublicPem(pem))).isEqualTo(Keys.keyId(pair.getPublic()));
    assertThat(TrustRoots.parse(TrustRoots.toJson(root)).getSigned().getKeys()).hasSize(1);
  }
}
