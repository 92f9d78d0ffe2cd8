package dev.flotilla.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation on real key files and a real trust/root.json: the next root follows the current one, and a rotation
 * that cannot be made (another fleet's keys, an unreadable key, an earlier rotation's retired keys in the way)
 * changes no key file and no trust root.
 */
class KeyRingTest {
  static final Duration YEAR = Duration.ofDays(365);

  @TempDir
  Path dir;
  Path keys;
  Path repo;
  KeyRing ring;
  TrustRoot v1;

  @BeforeEach
  void init() throws IOException {
    keys = dir.resolve("keys");
    repo = Files.createDirectories(dir.resolve("repo"));
    ring = new KeyRing(keys, Clock.systemUTC());
    v1 = ring.init("acme", YEAR);
    KeyRing.write(repo, v1);
  }

  @Test
  void rotationWritesTheNextRootSignedByTheOldRootAndKeepsTheRetiredKeys() throws Exception {
    var oldSigner = Files.readString(ring.privateKey(KeyRole.BUNDLE_SIGNER));

    var v2 = ring.rotate(v1, Set.of(KeyRole.BUNDLE_SIGNER), YEAR, repo);

    assertThat(new RootVerifier(Clock.systemUTC()).rotate(v1, v2).getSigned().getVersion()).isEqualTo(2);
    assertThat(KeyRing.read(repo).getSignatures()).isEqualTo(v2.getSignatures());
    assertThat(Files.readString(keys.resolve("bundle-signer.v1.pem"))).isEqualTo(oldSigner);
    assertThat(TrustRoots.keys(v2, KeyRole.BUNDLE_SIGNER).getFirst())
        .isEqualTo(ring.pair(KeyRole.BUNDLE_SIGNER).getPublic()).isNotEqualTo(Keys.readPublic(
            keys.resolve("bundle-signer.v1.pub.pem")));
    assertThat(files(keys)).noneMatch(name -> name.endsWith(".new"));
  }

  @Test
  void keysOfAnotherFleetAreRefusedAndNothingChanges() throws Exception {
    var other = new KeyRing(dir.resolve("other"), Clock.systemUTC());
    other.init("globex", YEAR);
    var before = snapshot(dir);

    assertThatThrownBy(() -> other.rotate(v1, Set.of(KeyRole.BUNDLE_SIGNER), YEAR, repo))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("rotate keys: root key " + Keys.keyId(other.pair(KeyRole.ROOT).getPublic())
            .substring(0, 16) + " in '" + other.privateKey(KeyRole.ROOT)
            + "' is not a root key of trust root version 1 (")
        .hasMessageEndingWith("); pass the --keys directory that made that trust root");
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void anUnreadableKeyIsFoundBeforeAnyKeyMoves() throws Exception {
    Files.writeString(ring.privateKey(KeyRole.ARTIFACT_SIGNER), "garbage\n");
    var before = snapshot(dir);

    assertThatThrownBy(() -> ring.rotate(v1, Set.of(KeyRole.BUNDLE_SIGNER), YEAR, repo))
        .hasMessage("read private key '" + ring.privateKey(KeyRole.ARTIFACT_SIGNER)
            + "': not an ECDSA P-256 key in PKCS#8 PEM");
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void aSecondRotationFromTheSameVersionDoesNotOverwriteTheRetiredKeys() throws Exception {
    ring.rotate(v1, Set.of(KeyRole.BUNDLE_SIGNER), YEAR, repo);
    KeyRing.write(repo, v1); // the new root was never committed, say, and the checkout went back
    var before = snapshot(dir);

    assertThatThrownBy(() -> ring.rotate(v1, Set.of(KeyRole.BUNDLE_SIGNER), YEAR, repo))
        .hasMessage("rotate keys: '" + keys.resolve("bundle-signer.v1.pem") + "' exists, so a rotation from trust"
            + " root version 1 was made with these keys before; commit the trust root it wrote, or move '"
            + keys.resolve("bundle-signer.v1.pem") + "' away");
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  private static Stream<String> files(Path dir) throws IOException {
    return Files.list(dir).map(p -> p.getFileName().toString()).toList().stream();
  }

  /** Every file under {@code root} and its content. */
  private static TreeMap<String, String> snapshot(Path root) throws IOException {
    var all = new TreeMap<String, String>();
    try (var walk = Files.walk(root)) {
      for (var file : walk.filter(Files::isRegularFile).toList()) {
        all.put(root.relativize(file).toString(), Files.readString(file));
      }
    }
    return all;
  }
}
