package dev.flotilla.cli.keys;

import dev.flotilla.model.KeyRole;
import dev.flotilla.model.RootSignature;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Trust-root changes with the root keys held apart, TUF-style: N root keys made for N holders, each in a directory
 * of its own; a rotation proposed unsigned; each holder adding their signature on their own machine; the result
 * taken only once {@link RootVerifier#rotate} accepts it (K of the old root keys and K of the new). Every method
 * reads and checks before it writes; a refusal changes no file.
 */
public final class RootCeremony {
  private final Clock clock;

  public RootCeremony(Clock clock) {
    this.clock = clock;
  }

  /** Where holder {@code i} (from 1) keeps their root key: {@code <keys>/root-holder-<i>/root.pem}. */
  public static Path holder(Path keys, int i) {
    return keys.resolve("root-holder-" + i);
  }

  /**
   * Makes {@code n} root keys, one directory per holder, beside the ring's signer keys in {@code keys}, and the
   * version 1 trust root with root threshold {@code threshold}, signed by all of them (they are all here now).
   */
  public TrustRoot init(String fleet, Duration validity, Path keys, int n, int threshold) throws IOException {
    if (n < 1 || threshold < 1 || threshold > n) {
      throw new IllegalArgumentException("make root keys: --threshold " + threshold + " must be 1.." + n);
    }
    var ring = new KeyRing(keys, clock);
    for (int i = 1; i <= n; i++) {
      if (Files.exists(holder(keys, i).resolve("root.pem"))) {
        throw new IOException("make key '" + holder(keys, i).resolve("root.pem") + "': it exists");
      }
    }
    var roots = new ArrayList<java.security.KeyPair>();
    for (int i = 1; i <= n; i++) {
      var pair = Keys.generate();
      Keys.writePrivate(holder(keys, i).resolve("root.pem"), pair.getPrivate());
      Keys.writePublic(holder(keys, i).resolve("root.pub.pem"), pair.getPublic());
      roots.add(pair);
    }
    var byRole = new EnumMap<KeyRole, List<PublicKey>>(KeyRole.class);
    byRole.put(KeyRole.ROOT, roots.stream().map(java.security.KeyPair::getPublic).toList());
    for (var role : List.of(KeyRole.BUNDLE_SIGNER, KeyRole.ARTIFACT_SIGNER)) {
      var pair = Keys.generate();
      Keys.writePrivate(ring.privateKey(role), pair.getPrivate());
      Keys.writePublic(ring.publicKey(role), pair.getPublic());
      byRole.put(role, List.of(pair.getPublic()));
    }
    var expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(validity);
    return TrustRoots.sign(TrustRoots.body(fleet, 1, expires, byRole, Map.of(KeyRole.ROOT, threshold)), roots);
  }

  /**
   * The next version of {@code current}, unsigned: the same keys and thresholds, with the root keys replaced by
   * {@code rootKeys} and the root threshold by {@code threshold} when given (null keeps them).
   */
  public TrustRoot propose(TrustRoot current, Duration validity, List<PublicKey> rootKeys, Integer threshold) {
    var byRole = new EnumMap<KeyRole, List<PublicKey>>(KeyRole.class);
    var thresholds = new EnumMap<KeyRole, Integer>(KeyRole.class);
    for (var role : current.getSigned().getRoles()) {
      byRole.put(role.getRole(), TrustRoots.keys(current, role.getRole()));
      thresholds.put(role.getRole(), TrustRoots.threshold(current, role.getRole()));
    }
    if (rootKeys != null && !rootKeys.isEmpty()) {
      byRole.put(KeyRole.ROOT, rootKeys);
    }
    if (threshold != null) {
      thresholds.put(KeyRole.ROOT, threshold);
    }
    var expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(validity);
    var body = TrustRoots.body(current.getSigned().getFleet(), (int) (current.getSigned().getVersion() + 1),
        expires, byRole, thresholds);
    return TrustRoots.sign(body, List.of());
  }

  /**
   * {@code proposal} with a signature by {@code key} added (replacing an earlier one of the same key), when that
   * key is a root key of {@code current} or of the proposal; which one is found by signing and verifying, so the
   * holder needs only their private key file.
   *
   * @throws IOException when the key is a root key of neither
   */
  public static TrustRoot sign(TrustRoot current, TrustRoot proposal, PrivateKey key) throws IOException {
    var bytes = TrustRoots.signedBytes(proposal);
    var signature = Keys.sign(key, bytes);
    var candidates = new ArrayList<>(TrustRoots.keys(current, KeyRole.ROOT));
    candidates.addAll(TrustRoots.keys(proposal, KeyRole.ROOT));
    var id = candidates.stream().filter(k -> Keys.verify(k, bytes, signature)).map(Keys::keyId).findFirst()
        .orElseThrow(() -> new IOException("sign trust root version " + proposal.getSigned().getVersion()
            + ": the key is not a root key of version " + current.getSigned().getVersion() + " or of the proposal;"
            + " pass the root.pem of a root key holder"));
    var signatures = new ArrayList<>(proposal.getSignatures() == null ? List.<RootSignature>of()
        : proposal.getSignatures());
    signatures.removeIf(s -> s.getKeyId().equals(id));
    var added = new RootSignature();
    added.setKeyId(id);
    added.setSig(Base64.getEncoder().encodeToString(signature));
    signatures.add(added);
    var signed = new TrustRoot();
    signed.setSigned(proposal.getSigned());
    signed.setSignatures(signatures);
    return signed;
  }

  /** {@code proposal} when it is the next root an agent holding {@code current} accepts; else why not. */
  public TrustRoot accept(TrustRoot current, TrustRoot proposal) throws TrustException {
    return new RootVerifier(clock).update(current, List.of(proposal));
  }

  /** Reads a proposal file (trust-root JSON, signatures possibly empty). */
  public static TrustRoot read(Path file) throws IOException {
    try {
      return TrustRoots.parse(Files.readAllBytes(file));
    } catch (TrustException e) {
      throw new IOException("read proposal '" + file + "': " + e.getMessage(), e);
    }
  }
}
