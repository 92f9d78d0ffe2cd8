package dev.flotilla.agent;

import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.BundleStore;
import dev.flotilla.bundle.BundleBytes;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Expectation;
import dev.flotilla.bundle.VerifiedBundle;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.trust.Refusal;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The agent's verifying side: the trust root it holds (from the state directory, else the config's), every bundle
 * checked in the order of DESIGN §5 before it counts, and accepted bundles stored before anything is applied. A
 * refusal that a newer trust root may cure (an unknown signer, an expired root) is for the fetch step to cure: it
 * hands the server's root history to {@link #rotate} and verifies again. Reads and writes only the state
 * directory. Not thread-safe: the agent's loop owns it.
 *
 * <p><b>What "accepted" means.</b> A bundle is accepted, and becomes the current one (stored as {@code current.json},
 * its version recorded as the last accepted one), only when it verifies <em>and</em> the host does not refuse its
 * plan as a whole ({@link dev.flotilla.agent.host.Applier#precheck}: a path outside the allowed ones, a symlink among
 * a path's parents, files that do not fit on the disk, and the like). A bundle refused at plan is reported as {@code
 * RefusedPlan} and changes nothing, neither the host nor the stored bundles nor the last accepted version: the agent
 * goes on enforcing the last bundle that applied. It is refused once per version: the ETag keeps the server from
 * sending it again, and should it come again in the same run (under another ETag) it is not planned again. After a
 * restart it is planned once more, so a refusal the operator has since cured (allowed paths widened, disk space
 * freed) lets it apply then. A bundle whose apply failed part way (a unit that does not start) was accepted: it stays
 * current and each pass applies it again.
 */
final class BundleIntake {
  private final AgentSettings settings;
  private final AgentState state;
  private final BundleStore bundles;
  private final Clock clock;
  private TrustRoot root;
  /** Whether the stored current bundle was found unusable: it is then replaced, not kept as the previous one. */
  private boolean currentUnusable;


  BundleIntake(AgentSettings settings, AgentState state, Clock clock) throws IOException {
    this.settings = settings;
    this.state = state;
    this.bundles = new BundleStore(settings.stateDir());
    this.clock = clock;
    this.root = loadRoot();
  }

  /** Removes the temp files a save interrupted by a crash left in the state directory; see {@link BundleStore}. */
  List<Path> removeTempFiles() throws IOException {
    return bundles.removeTempFiles();
  }

  TrustRoot root() {
    return root;
  }

  /**
   * A new bundle, checked against the last accepted version; a refusal is a TrustException naming the check. After
   * {@link #stored} found {@code current.json} unusable, the last accepted version itself is taken again, so the
   * server's copy of it repairs the store.
   */
  VerifiedBundle verify(byte[] raw) throws TrustException, IOException {
    var last = state.lastAcceptedVersion() - (currentUnusable ? 1 : 0);
    return new BundleVerifier(clock).verify(raw, root, expectation(last));
  }

  /**
   * Moves to the newest root of {@code history} (the server's root history) that chains to the one held, storing
   * it; see {@link RootRotation}.
   *
   * @throws TrustException when a root of the history does not chain to the one held
   */
  void rotate(byte[] history) throws TrustException, IOException {
    root = RootRotation.update(root, history, new RootVerifier(clock), bundles);
  }

  /**
   * The stored bundle to enforce, each file checked again as of when it was accepted (its file's time), so an
   * expiry while the device was offline does not stop it from restoring the state it already had. Empty when none
   * was ever accepted.
   *
   * <p>{@code current.json} is used when it verifies and is of the last accepted version or newer. When it does not
   * (torn, tampered with, deleted), {@code previous.json} is used when it verifies and is older than the last
   * accepted version: it is the bundle the agent itself accepted before that one, so enforcing it is the last state
   * known good, never a version the server did not send.
   *
   * @param log told in one line why {@code current.json} was passed over when {@code previous.json} is used
   * @throws TrustException when a bundle was accepted but neither file can be used; the message names both
   */
  Optional<VerifiedBundle> stored(Consumer<String> log) throws TrustException, IOException {
    var last = state.lastAcceptedVersion();
    if (last == 0 && !Files.exists(bundles.currentFile(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    TrustException unusable;
    try {
      var raw = readStored(bundles::current);
      if (raw.isEmpty()) {
        throw new TrustException(Refusal.MALFORMED, "missing, though version " + last + " was accepted");
      }
      var verified = verifyAt(raw.get(), bundles.currentSavedAt(), last - 1);
      currentUnusable = false;
      return Optional.of(verified);
    } catch (TrustException e) {
      unusable = e;
      currentUnusable = true;
    }
    var current = "'" + bundles.currentFile() + "': " + unusable.getMessage();
    try {
      var fallback = previous(last);
      log.accept("refuse stored bundle " + current + "; enforcing version " + fallback.payload().getVersion()
          + " from '" + bundles.previousFile() + "' until a new bundle arrives");
      return Optional.of(fallback);
    } catch (TrustException e) {
      throw new TrustException(unusable.refusal(), current + "; '" + bundles.previousFile() + "': " + e.getMessage()
          + "; nothing is enforced until a new bundle arrives");
    }
  }

  /** The stored {@code previous.json}, verified and older than {@code last}; a TrustException says why not. */
  private VerifiedBundle previous(long last) throws TrustException, IOException {
    var raw = readStored(bundles::previous);
    if (raw.isEmpty()) {
      throw new TrustException(Refusal.MALFORMED, "missing");
    }
    var verified = verifyAt(raw.get(), bundles.previousSavedAt(), 0);
    if (verified.payload().getVersion() >= last) {
      throw new TrustException(Refusal.REPLAY, "version " + verified.payload().getVersion()
          + " is not older than the last accepted version " + last);
    }
    return verified;
  }

  /** A stored bundle file's bytes, if it exists; one over the cap is refused unread, as a malformed bundle. */
  private static Optional<byte[]> readStored(StoredFile file) throws TrustException, IOException {
    try {
      return file.read();
    } catch (BundleBytes.TooLarge e) {
      throw new TrustException(Refusal.MALFORMED, e.getMessage());
    }
  }

  /** {@link BundleStore#current} or {@link BundleStore#previous}. */
  private interface StoredFile {
    Optional<byte[]> read() throws IOException;
  }

  private VerifiedBundle verifyAt(byte[] raw, java.time.Instant savedAt, long above) throws TrustException {
    return new BundleVerifier(Clock.fixed(savedAt, ZoneOffset.UTC)).verify(raw, root, expectation(above));
  }

  /**
   * Makes {@code raw} the current bundle and records its version as the last accepted one. An unusable {@code
   * current.json} is overwritten rather than kept as {@code previous.json}, so the good previous one stays.
   *
   * @param kept the version the host stays on when storing fails, for the message
   */
  void store(byte[] raw, VerifiedBundle verified, long kept) throws IOException {
    try {
      if (currentUnusable) {
        bundles.replaceCurrent(raw);
      } else {
        bundles.saveCurrent(raw);
      }
    } catch (IOException e) {
      throw new IOException("store bundle version " + verified.payload().getVersion() + ": " + e.getMessage()
          + "; keeping version " + kept + "; free space in '" + settings.stateDir() + "'", e);
    }
    currentUnusable = false;
    state.accept(verified.payload().getVersion(), verified.payload().getSourceCommit(), clock.instant());
  }

  private Expectation expectation(long lastAccepted) {
    return new Expectation(root.getSigned().getFleet(), settings.device(), settings.identityHash(), lastAccepted);
  }

  private TrustRoot loadRoot() throws IOException {
    var stored = bundles.root();
    var bytes = stored.isPresent() ? stored.get() : settings.initialRoot();
    try {
      var parsed = TrustRoots.parse(bytes);
      if (stored.isEmpty()) {
        bundles.saveRoot(bytes);
      }
      return parsed;
    } catch (TrustException e) {
      throw new IOException("load trust root: " + e.getMessage(), e);
    }
  }
}
