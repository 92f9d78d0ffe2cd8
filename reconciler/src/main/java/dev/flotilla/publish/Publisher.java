package dev.flotilla.publish;

import dev.flotilla.bundle.BundleFormat;
import dev.flotilla.bundle.BundlePayloads;
import dev.flotilla.bundle.BundleSigner;
import dev.flotilla.git.Revision;
import dev.flotilla.render.RenderedDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs and stores the bundles of every rendered device whose content changed, or whose bundle is past half its
 * lifetime. Unchanged devices keep their bundle and version. Versions only grow, and come from time, not from a
 * count kept here ({@link #nextVersion}), so a store rebuilt from nothing (a new machine, a lost work directory)
 * still issues versions above every one devices accepted before. Devices no longer rendered (removed, or not yet claimed) lose their bundle, except those
 * of a held-back tenant, which keep theirs untouched.
 */
public final class Publisher {
  private final BundleDirectory store;
  private final BundleSigner signer;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Published> current = new ConcurrentHashMap<>();

  public Publisher(BundleDirectory store, BundleSigner signer, Clock clock, Duration ttl) throws IOException {
    this.store = store;
    this.signer = signer;
    this.clock = clock;
    this.ttl = ttl;
    current.putAll(store.load());
  }

  /** What changed in one pass. */
  public record Result(List<Published> changed, List<String> removed, int unchanged) {}

  /**
   * Signs and stores what is due. A device whose bundle would be over {@link BundleFormat#MAX_BYTES} refuses the
   * whole pass before anything is written (an IOException naming it): agents would refuse the bundle, and {@code
   * flotilla validate} reports the fleet first.
   */
  public Result publish(List<RenderedDevice> rendered, Revision revision) throws IOException {
    return publish(rendered, revision, Set.of());
  }

  /** As {@link #publish(List, Revision)}; the bundles of {@code heldBack} tenants' devices stay as they are. */
  public Result publish(List<RenderedDevice> rendered, Revision revision, Set<String> heldBack) throws IOException {
    var now = clock.instant();
    var due = rendered.stream().filter(r -> due(current.get(r.device()), r, now)).toList();
    refuseOverCap(due);
    List<Published> changed;
    try {
      // each device is signed and written by one thread; different devices' files never overlap
      changed = due.parallelStream()
          .map(r -> store(sign(r, revision)))
          .toList();
    } catch (UncheckedIOException e) {
      store.writeIndex(current.values()); // keep the index in step with the bundles that did get written
      throw e.getCause();
    }
    var keep = new HashSet<String>();
    rendered.forEach(r -> keep.add(r.device()));
    var removed = new ArrayList<String>();
    for (var device : List.copyOf(current.keySet())) {
      if (!keep.contains(device) && !heldBack.contains(current.get(device).tenant())) {
        store.remove(device);
        current.remove(device);
        removed.add(device);
      }
    }
    if (!changed.isEmpty() || !removed.isEmpty()) {
      store.writeIndex(current.values());
    }
    return new Result(changed, removed, rendered.size() - changed.size());
  }

  private static void refuseOverCap(List<RenderedDevice> due) throws IOException {
    for (var device : due) {
      var size = BundlePayloads.signedSize(device.bytes().length);
      if (size > BundleFormat.MAX_BYTES) {
        throw new IOException("publish bundle for device '" + device.device() + "': about " + size
            + " bytes, over the cap of " + BundleFormat.cap() + " that agents accept; 'flotilla validate' names the"
            + " file that makes it so");
      }
    }
  }

  private Published store(Published published) {
    try {
      store.write(published);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    current.put(published.device(), published);
    return published;
  }

  public Published get(String device) {
    return current.get(device);
  }

  public Map<String, Published> all() {
    return Map.copyOf(current);
  }

  private boolean due(Published previous, RenderedDevice rendered, Instant now) {
    if (previous == null || !previous.contentHash().equals(rendered.contentHash())) {
      return true;
    }
    var halfLife = Duration.between(previous.issuedAt(), previous.expiresAt()).dividedBy(2);
    return !now.isBefore(previous.issuedAt().plus(halfLife));
  }

  /**
   * The version of a bundle signed at {@code now} from {@code revision}: the later of the commit's time and the
   * signing time, in milliseconds since the epoch, and above {@code previous}, which breaks a tie within one
   * millisecond. Both times survive the loss of the work directory (Git keeps the commit's, the clock only moves on),
   * so a reconciler started again from Git issues versions above all it issued before, re-signs included. Pure.
   */
  static long nextVersion(long previous, Revision revision, Instant now) {
    return Math.max(previous + 1, Math.max(revision.time().toEpochMilli(), now.toEpochMilli()));
  }

  /** Stamps version, times and commit on the render's bytes and signs them; the rendered payload is not touched. */
  private Published sign(RenderedDevice rendered, Revision revision) {
    var previous = current.get(rendered.device());
    var now = clock.instant();
    var version = nextVersion(previous == null ? 0 : previous.version(), revision, now);
    var issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
    var expiresAt = issuedAt.plus(ttl);
    var payload = BundlePayloads.stamp(rendered.bytes(), version, issuedAt, expiresAt, revision.commit());
    return new Published(rendered.tenant(), rendered.device(), version, rendered.contentHash(), revision.commit(),
        issuedAt, expiresAt, signer.sign(payload));
  }
}
