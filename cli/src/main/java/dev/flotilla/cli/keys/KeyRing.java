package dev.flotilla.cli.keys;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
   * Replaces the keys of {@code roles} and writes the next root version to {@code repo}'s {@code trust/root.json},
   * signed by the current root key and, when the root key itself is replaced, by the new one too. Everything is
   * read and checked before anything is written: every current key must parse, this ring's root key must be a root
   * key of {@code current} that meets its threshold, and no earlier rotation from this version may have left its
   * {@code <role>.v<N>.pem} files. The new keys are written beside the old ones first, then the trust root, then
   * the old keys are renamed to {@code <role>.v<N>.pem} and the new ones put in their place; a failure before the
   * trust root is written leaves the ring and the repo as they were.
   *
   * @return the trust root written
   * @throws IOException with the key file or trust root at fault and the fix
   */
  public TrustRoot rotate(TrustRoot current, Set<KeyRole> roles, Duration validity, Path repo) throws IOException {
    var version = current.getSigned().getVersion();
    var pairs = new EnumMap<KeyRole, KeyPair>(KeyRole.class);
    for (var role : ROLES) {
      pairs.put(role, pair(role));
    }
    var oldRoot = pairs.get(KeyRole.ROOT);
    requireRootOf(current, oldRoot);
    for (var role : roles) {
      for (var kept : List.of(retired(role, version, ".pem"), retired(role, version, ".pub.pem"))) {
        if (Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("rotate keys: '" + kept + "' exists, so a rotation from trust root version " + version
              + " was made with these keys before; commit the trust root it wrote, or move '" + kept + "' away");
        }
      }
    }
    var fresh = new EnumMap<KeyRole, KeyPair>(KeyRole.class);
    roles.forEach(role -> fresh.put(role, Keys.generate()));
    var next = new EnumMap<KeyRole, KeyPair>(pairs);
    next.putAll(fresh);
    var signers = new ArrayList<KeyPair>();
    signers.add(oldRoot);
    if (fresh.containsKey(KeyRole.ROOT)) {
      signers.add(fresh.get(KeyRole.ROOT));
    }
    var root = root(current.getSigned().getFleet(), version + 1, validity, next, signers);
    var staged = new ArrayList<Path>();
    try {
      for (var entry : fresh.entrySet()) {
        var role = entry.getKey();
        Keys.writePrivate(staged(privateKey(role), staged), entry.getValue().getPrivate());
        Keys.writePublic(staged(publicKey(role), staged), entry.getValue().getPublic());
      }
      write(repo, root);
    } catch (IOException e) {
      for (var file : staged) {
        Files.deleteIfExists(file);
      }
      throw e;
    }
    for (var role : fresh.keySet()) {
      for (var suffix : List.of(".pem", ".pub.pem")) {
        var live = dir.resolve(role.value() + suffix);
        Files.move(live, retired(role, version, suffix), StandardCopyOption.ATOMIC_MOVE);
        Files.move(dir.resolve(live.getFileName() + ".new"), live, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return root;
  }

  /** That {@code pair} is a root key of {@code current} and one signature meets its root threshold. */
  private void requireRootOf(TrustRoot current, KeyPair pair) throws IOException {
    var id = Keys.keyId(pair.getPublic());
    var rootKeys = TrustRoots.keys(current, KeyRole.ROOT).stream().map(Keys::keyId).toList();
    var version = current.getSigned().getVersion();
    if (!rootKeys.contains(id)) {
      throw new IOException("rotate keys: root key " + id.substring(0, 16) + " in '" + privateKey(KeyRole.ROOT)
          + "' is not a root key of trust root version " + version + " (" + rootKeys.stream()
          .map(k -> k.substring(0, 16)).collect(java.util.stream.Collectors.joining(", "))
          + "); pass the --keys directory that made that trust root");
    }
    var threshold = TrustRoots.threshold(current, KeyRole.ROOT);
    if (threshold > 1) {
      throw new IOException("rotate keys: trust root version " + version + " needs " + threshold
          + " root signatures, and '" + dir + "' holds one root key; sign the next version with all of them");
    }
  }

  private Path retired(KeyRole role, long version, String suffix) {
    return dir.resolve(role.value() + ".v" + version + suffix);
  }

  /** {@code file}'s staging name ({@code <file>.new}), recorded in {@code staged} for clean-up. */
  private static Path staged(Path file, List<Path> staged) throws IOException {
    var path = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(path); // left by a rotation that failed before its trust root was written
    staged.add(path);
    return path;
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
