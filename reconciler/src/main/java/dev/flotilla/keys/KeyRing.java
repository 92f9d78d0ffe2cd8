package dev.flotilla.keys;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet's private keys in a directory outside the fleet repo, one pair per role ({@code root.pem} and
 * {@code root.pub.pem}, mode 0600 for the private half), and the trust root they make, written to
 * {@code trust/root.json} of the repo. Rotation keeps the replaced keys as {@code <role>.v<N>.pem} so an old root
 * can still sign the step to the new one.
 */
public final class KeyRing {
  public static final List<KeyRole> ROLES = List.of(KeyRole.ROOT, KeyRole.BUNDLE_SIGNER, KeyRole.ARTIFACT_SIGNER);
  private final Path dir;
  private final Clock clock;

  public KeyRing(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  public Path privateKey(KeyRole role) {
    return dir.resolve(role.value() + ".pem");
  }

  public Path publicKey(KeyRole role) {
    return dir.resolve(role.value() + ".pub.pem");
  }

  public KeyPair pair(KeyRole role) throws IOException {
    return new KeyPair(Keys.readPublic(publicKey(role)), Keys.readPrivate(privateKey(role)));
  }

  /** Makes a key pair per role and the version 1 trust root of {@code fleet}; refuses to replace existing keys. */
  public TrustRoot init(String fleet, Duration validity) throws IOException {
    for (var role : ROLES) {
      if (Files.exists(privateKey(role))) {
        throw new IOException("make key '" + privateKey(role) + "': it exists; use 'flotilla keys rotate' to replace keys");
      }
    }
    var pairs = new EnumMap<KeyRole, KeyPair>(KeyRole.class);
    for (var role : ROLES) {
      pairs.put(role, write(role, Keys.generate()));
    }
    return root(fleet, 1, validity, pairs, List.of(pairs.get(KeyRole.ROOT)));
  }

  /**
   * Replaces the keys of {@code roles} and returns the next root version, signed by the current root key and, when
   * the root key itself is replaced, by the new one too.
   */
  public TrustRoot rotate(TrustRoot current, Set<KeyRole> roles, Duration validity) throws IOException {
    var version = current.getSigned().getVersion();
    var oldRoot = pair(KeyRole.ROOT);
    var pairs = new EnumMap<KeyRole, KeyPair>(KeyRole.class);
    for (var role : ROLES) {
      if (roles.contains(role)) {
        Files.move(privateKey(role), dir.resolve(role.value() + ".v" + version + ".pem"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(publicKey(role), dir.resolve(role.value() + ".v" + version + ".pub.pem"), StandardCopyOption.ATOMIC_MOVE);
        pairs.put(role, write(role, Keys.generate()));
      } else {
        pairs.put(role, pair(role));
      }
    }
    var signers = new ArrayList<KeyPair>();
    signers.add(oldRoot);
    if (roles.contains(KeyRole.ROOT)) {
      signers.add(pairs.get(KeyRole.ROOT));
    }
    return root(current.getSigned().getFleet(), version + 1, validity, pairs, signers);
  }

  /** Reads and parses the trust root of a fleet repo checkout. */
  public static TrustRoot read(Path repo) throws IOException {
    try {
      return TrustRoots.parse(Files.readAllBytes(repo.resolve("trust/root.json")));
    } catch (TrustException e) {
      throw new IOException("read '" + repo.resolve("trust/root.json") + "': " + e.getMessage(), e);
    }
  }

  /** Writes {@code root} to {@code trust/root.json} of a fleet repo checkout. */
  public static void write(Path repo, TrustRoot root) throws IOException {
    var file = repo.resolve("trust/root.json");
    Files.createDirectories(file.getParent());
    var temp = Files.createTempFile(file.getParent(), ".root-", ".json");
    Files.write(temp, TrustRoots.toJson(root));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private TrustRoot root(String fleet, long version, Duration validity, Map<KeyRole, KeyPair> pairs,
      List<KeyPair> signers) {
    var keys = new EnumMap<KeyRole, List<java.security.PublicKey>>(KeyRole.class);
    var thresholds = new EnumMap<KeyRole, Integer>(KeyRole.class);
    pairs.forEach((role, pair) -> {
      keys.put(role, List.of(pair.getPublic()));
      thresholds.put(role, 1);
    });
    var expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(validity);
    return TrustRoots.sign(TrustRoots.body(fleet, (int) version, expires, keys, thresholds), signers);
  }

  private KeyPair write(KeyRole role, KeyPair pair) throws IOException {
    Keys.writePrivate(privateKey(role), pair.getPrivate());
    Keys.writePublic(publicKey(role), pair.getPublic());
    return pair;
  }
}
