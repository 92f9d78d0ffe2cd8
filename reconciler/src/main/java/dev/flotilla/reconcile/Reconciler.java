package dev.flotilla.reconcile;

import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.fleet.Problem;
import dev.flotilla.fleet.Severity;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.git.Revision;
import dev.flotilla.model.Artifact;
import dev.flotilla.model.Device;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.publish.Publisher;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.RenderCache;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.rollout.RolloutVersions;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One reconcile pass, level-triggered: fetch the branch → load and validate the commit from its tree → check the
 * trust root → step the rollouts (their decisions committed to the status branch first) → render every claimed
 * device with the versions rollouts give it → sign and publish the bundles whose content changed. A commit with any
 * error is refused whole: the devices keep the bundles of the last good commit and {@link #status()} says why.
 * Passes are serialised; {@link #served()} and {@link #status()} may be read from any thread.
 */
public final class Reconciler {
  private final FleetRepo repo;
  private final FleetValidator validator;
  private final Publisher publisher;
  private final PublicKey signerKey;
  private final Clock clock;
  private final ReconcilerMetrics metrics;
  private final Consumer<Publisher.Result> onPublish;
  private final RolloutRunner rollouts;
  private final RenderCache renders = new RenderCache();
  private volatile FleetStatus status;
  private volatile RolloutRunner.Result rolloutResult;
  private String validatedCommit;
  private FleetSnapshot validated;
  private volatile FleetSnapshot validatedSnapshotServed;
  private volatile Served served;
  private TrustRoot trusted;

  /** A reconciler that also runs the commit's rollouts with {@code rollouts} (null: none). */
  public Reconciler(FleetRepo repo, FleetValidator validator, Publisher publisher, PublicKey signerKey, Clock clock,
      ReconcilerMetrics metrics, Consumer<Publisher.Result> onPublish, RolloutRunner rollouts) {
    this.rollouts = rollouts;
    this.repo = repo;
    this.validator = validator;
    this.publisher = publisher;
    this.signerKey = signerKey;
    this.clock = clock;
    this.metrics = metrics;
    this.onPublish = onPublish;
    this.status = FleetStatus.starting(clock.instant());
  }

  public FleetStatus status() {
    return status;
  }

  /** What the API serves; null until the first good commit. */
  public Served served() {
    return served;
  }

  public Publisher publisher() {
    return publisher;
  }

  /** The snapshot of the last good commit; null before the first. */
  public FleetSnapshot snapshot() {
    return served == null ? null : validatedSnapshotServed;
  }

  /** The rollouts of the last good pass, with their plans and states; null before the first. */
  public RolloutRunner.Result rollouts() {
    return rolloutResult;
  }

  /** Fetches and reconciles; a failure to fetch leaves everything as it was and is retried on the next pass. */
  public synchronized FleetStatus reconcileOnce() {
    var started = System.nanoTime();
    Revision revision;
    try {
      revision = repo.fetch();
    } catch (IOException e) {
      return record(fail(status.seen(), "FetchFailed", e.getMessage(), List.of()), started);
    }
    return record(reconcile(revision), started);
  }

  /** Reconciles one commit that is already in the repository. */
  public synchronized FleetStatus reconcile(Revision revision) {
    try {
      // Passes woken by status reports see the same commit again; it was validated already.
      if (!revision.commit().equals(validatedCommit)) {
        var report = validator.validate(repo.tree(revision.commit()));
        var errors = report.problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) {
          return fail(revision, "InvalidCommit", errors.size() + " problem(s) in commit " + revision.shortId()
              + ", first: " + errors.getFirst(), errors);
        }
        validated = report.snapshot();
        validatedCommit = revision.commit();
      }
      var snapshot = validated;
      var root = checkRoot(snapshot.trustRoot().orElseThrow().resource());
      var index = FleetIndex.of(snapshot);
      var stepped = rollouts == null ? null : rollouts.step(index);
      if (stepped != null) {
        rolloutResult = stepped; // committed to the status branch already; readers must not lag the bundles
      }
      var versions = stepped == null ? RolloutVersions.NONE : stepped.versions();
      var renderStart = System.nanoTime();
      List<RenderedDevice> rendered = renders.render(index, versions);
      metrics.rendered((System.nanoTime() - renderStart) / 1e9);
      var result = publisher.publish(rendered, revision);
      validatedSnapshotServed = snapshot;
      trusted = root;
      served = new Served(revision, deviceKeys(snapshot.devices()), root, repo.rootHistory(revision.commit()),
          artifactGrants(snapshot.artifacts()));
      metrics.published(result, rendered.size());
      onPublish.accept(result);
      return status = new FleetStatus(revision, revision, true, "Reconciled",
          "commit " + revision.shortId() + ": " + result.changed().size() + " bundle(s) signed, "
              + result.unchanged() + " unchanged, " + result.removed().size() + " removed",
          clock.instant(), List.of());
    } catch (TrustException e) {
      return fail(revision, "TrustRootRefused", e.getMessage(), List.of());
    } catch (IOException | RuntimeException e) {
      return fail(revision, "ReconcileFailed", e.getMessage() == null ? e.toString() : e.getMessage(), List.of());
    }
  }

  private TrustRoot checkRoot(TrustRoot root) throws TrustException {
    var verifier = new RootVerifier(clock);
    var checked = trusted == null || trusted.getSigned().getVersion() >= root.getSigned().getVersion()
        ? verifier.trustInitial(root)
        : verifier.update(trusted, List.of(root));
    var signerId = Keys.keyId(signerKey);
    var signers = TrustRoots.keys(checked, KeyRole.BUNDLE_SIGNER).stream().map(Keys::keyId).toList();
    if (!signers.contains(signerId)) {
      throw new TrustException(dev.flotilla.trust.Refusal.WRONG_ROLE, "sign bundles: key " + signerId
          + " is not a bundle-signer in trust root version " + checked.getSigned().getVersion()
          + "; add it with 'flotilla keys rotate'");
    }
    return checked;
  }

  private static Map<String, Served.DeviceKey> deviceKeys(List<Document<Device>> devices) {
    var keys = new TreeMap<String, Served.DeviceKey>();
    for (var device : devices) {
      var pem = device.resource().getSpec().getPublicKey();
      if (pem != null && device.resource().getSpec().getIdentity() != null) {
        keys.put(device.resource().getMetadata().getName(), new Served.DeviceKey(
            device.resource().getMetadata().getTenant(), Keys.parsePublicPem(pem)));
      }
    }
    return keys;
  }

  /** The digests of every artifact and SBOM of the commit, and who may download each. */
  private static Map<String, Served.ArtifactGrant> artifactGrants(List<Document<Artifact>> artifacts) {
    var grants = new TreeMap<String, Served.ArtifactGrant>();
    for (var artifact : artifacts) {
      var spec = artifact.resource().getSpec();
      var tenant = artifact.resource().getMetadata().getTenant();
      var tenants = tenant == null ? null : java.util.Set.of(tenant);
      grants.merge(spec.getDigest().substring("sha256:".length()), new Served.ArtifactGrant(tenants, spec.getSize()),
          Served.ArtifactGrant::or);
      if (spec.getSbom() != null) {
        grants.merge(spec.getSbom().getDigest().substring("sha256:".length()), new Served.ArtifactGrant(tenants, -1),
            Served.ArtifactGrant::or);
      }
    }
    return grants;
  }

  private FleetStatus fail(Revision seen, String reason, String message, List<Problem> problems) {
    var previous = status;
    return status = new FleetStatus(previous.good(), seen, false, reason, message,
        previous.ready() || !reason.equals(previous.reason()) ? clock.instant() : previous.since(),
        List.copyOf(new ArrayList<>(problems)));
  }

  private FleetStatus record(FleetStatus result, long started) {
    metrics.reconciled(result, (System.nanoTime() - started) / 1e9);
    return result;
  }
}
