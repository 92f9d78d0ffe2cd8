package dev.flotilla.reconcile;

import dev.flotilla.fleet.Document;
import dev.flotilla.fleet.FleetSnapshot;
import dev.flotilla.schema.Problem;
import dev.flotilla.git.FleetRepo;
import dev.flotilla.git.Revision;
import dev.flotilla.model.Device;
import dev.flotilla.model.KeyRole;
import dev.flotilla.model.TrustRoot;
import dev.flotilla.publish.Publisher;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.RenderCache;
import dev.flotilla.render.RenderedDevice;
import dev.flotilla.rollout.RolloutRunner;
import dev.flotilla.render.RolloutVersions;
import dev.flotilla.trust.Keys;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import dev.flotilla.trust.TrustRoots;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One reconcile pass, level-triggered: fetch the branch → load and validate the commit from its tree → decide what
 * of it to take ({@link Acceptance}) → check the trust root → step the rollouts (their decisions committed to the
 * status branch first) → render every claimed device with the versions rollouts give it → sign and publish the
 * bundles whose content changed. An error in a shared file refuses the commit whole: the devices keep the bundles of
 * the last good commit and {@link #status()} says why. An error in a tenant's own files holds back only that tenant:
 * its devices keep their bundles, its rollouts do not step, every other tenant moves on, and the status, the metrics
 * and the log name the tenant and the files. Passes are serialised; {@link #served()} and {@link #status()} may be
 * read from any thread.
 */
public final class Reconciler {
  private static final System.Logger LOG = System.getLogger("flotilla.reconciler");
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
  private String decidedCommit;
  private Acceptance decided;
  private volatile FleetSnapshot servedSnapshot;
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

  /** What is served: the last good commit, with held-back tenants' files as last served; null before the first. */
  public FleetSnapshot snapshot() {
    return served == null ? null : servedSnapshot;
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
      // Passes woken by status reports see the same commit again; it was decided on already.
      if (!revision.commit().equals(decidedCommit)) {
        var acceptance = Acceptance.of(validator.validate(repo.tree(revision.commit())), servedSnapshot,
            clock.instant());
        if (acceptance.refused()) {
          var errors = new ArrayList<>(acceptance.fleetWide());
          acceptance.heldBack().values().forEach(errors::addAll);
          var all = errors.stream().distinct().sorted(Problem.ORDER).toList();
          return fail(revision, "InvalidCommit", all.size() + " problem(s) in commit " + revision.shortId()
              + ", first: " + acceptance.fleetWide().getFirst(), all);
        }
        decided = acceptance;
        decidedCommit = revision.commit();
      }
      return serve(revision, decided);
    } catch (TrustException e) {
      return fail(revision, "TrustRootRefused", e.getMessage(), List.of());
    } catch (IOException | RuntimeException e) {
      return fail(revision, "ReconcileFailed", e.getMessage() == null ? e.toString() : e.getMessage(), List.of());
    }
  }

  private FleetStatus serve(Revision revision, Acceptance acceptance) throws IOException, TrustException {
    var snapshot = acceptance.accepted();
    var heldBack = acceptance.heldBack().keySet();
    var root = checkRoot(snapshot.trustRoot().orElseThrow().resource());
    var index = FleetIndex.of(snapshot);
    var stepped = rollouts == null ? null : rollouts.step(index);
    if (stepped != null) {
      // committed to the status branch already; readers must not lag the bundles
      rolloutResult = withHeldBack(stepped, rolloutResult, heldBack);
    }
    var versions = stepped == null ? RolloutVersions.NONE : stepped.versions();
    var renderStart = System.nanoTime();
    List<RenderedDevice> rendered = renders.render(index, versions);
    metrics.rendered((System.nanoTime() - renderStart) / 1e9);
    var result = publisher.publish(rendered, revision, heldBack);
    var before = servedSnapshot;
    var grants = ServedGrants.of(snapshot.artifacts(), served, heldBack);
    servedSnapshot = acceptance.served();
    trusted = root;
    served = new Served(revision, deviceKeys(servedSnapshot.devices()), root, repo.rootHistory(revision.commit()),
        grants);
    metrics.published(result, rendered.size());
    onPublish.accept(result);
    return status = passed(revision, result, acceptance.heldBack(), before);
  }

  /** The status after serving {@code revision}; logs the tenants newly held back or moving on. */
  private FleetStatus passed(Revision revision, Publisher.Result result, Map<String, List<Problem>> heldBack,
      FleetSnapshot before) {
    var held = status.holdBack(revision, heldBack, clock.instant(), tenant -> before != null
        && before.tenants().stream().anyMatch(t -> t.path().equals("tenants/" + tenant + "/tenant.yaml")));
    HeldBackLog.changed(LOG, status.heldBack(), held, revision);
    var message = "commit " + revision.shortId() + ": " + result.changed().size() + " bundle(s) signed, "
        + result.unchanged() + " unchanged, " + result.removed().size() + " removed";
    var problems = held.values().stream().flatMap(h -> h.problems().stream()).distinct().sorted(Problem.ORDER)
        .toList();
    return new FleetStatus(revision, revision, true, held.isEmpty() ? "Reconciled" : "TenantsHeldBack",
        message + HeldBackLog.summary(held), clock.instant(), problems, held);
  }

  /** {@code stepped}, plus the rollouts of held-back tenants as they stood after the last pass that stepped them. */
  private static RolloutRunner.Result withHeldBack(RolloutRunner.Result stepped, RolloutRunner.Result last,
      Set<String> heldBack) {
    if (heldBack.isEmpty() || last == null) {
      return stepped;
    }
    var views = new ArrayList<>(stepped.rollouts());
    last.rollouts().stream().filter(v -> heldBack.contains(v.plan().tenant())).forEach(views::add);
    views.sort(Comparator.comparing(v -> v.plan().key()));
    return new RolloutRunner.Result(List.copyOf(views), stepped.versions());
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

  private FleetStatus fail(Revision seen, String reason, String message, List<Problem> problems) {
    var previous = status;
    return status = new FleetStatus(previous.good(), seen, false, reason, message,
        previous.ready() || !reason.equals(previous.reason()) ? clock.instant() : previous.since(), problems,
        previous.heldBack());
  }

  private FleetStatus record(FleetStatus result, long started) {
    metrics.reconciled(result, (System.nanoTime() - started) / 1e9, clock.instant());
    return result;
  }
}
