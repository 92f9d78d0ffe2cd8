package dev.flotilla.claim;

import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.git.GitAccess;
import dev.flotilla.git.GitTransport;
import dev.flotilla.model.ClaimRequest;
import dev.flotilla.reconcile.Served;
import dev.flotilla.validate.EditCheck;
import dev.flotilla.validate.FleetValidator;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * Takes claims and commits what they become, with Git as the only store: auto-approved claims become Device files
 * on the fleet branch, the others pending files on the {@code claims} branch. A claim whose Device file would make
 * the fleet invalid is refused ({@link Admission}): the reconciler never commits what it would then refuse. Claims
 * arriving together are decided and committed as one batch by one writer thread; a push that loses a race is
 * re-decided from the new tip
 * ({@link FleetCommits#push}), so uses are never over-spent and no Device file is lost or duplicated.
 * {@link #submit} blocks until its batch is pushed. Thread-safe.
 */
public final class ClaimDesk implements AutoCloseable {
  public static final PersonIdent AUTHOR = new PersonIdent("flotilla-reconciler", "reconciler@flotilla.invalid");
  private static final System.Logger LOG = System.getLogger("flotilla.claims");

  /** A claim's answer: HTTP status, state ({@code pending|approved|enrolled|rejected|refused}) and details. */
  public record Outcome(int status, String state, String id, String device, String tenant, String message) {
    static Outcome refused(int status, String message) {
      return new Outcome(status, "refused", null, null, null, message);
    }
  }

  private record Submission(ClaimRequest request, String tokenHash, CompletableFuture<Outcome> answer) {}

  private final FleetCommits commits;
  private final String url;
  private final String branch;
  private final Clock clock;
  private final Runnable reconcileNow;
  private final Supplier<Served> served;
  private final LinkedBlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
  private final Map<String, PendingClaim> approved = new ConcurrentHashMap<>();
  private final Admission admission;
  private volatile ClaimsBranch claims = ClaimsBranch.EMPTY;
  private final Thread writer;
  private volatile ClaimEvents events;
  private java.util.Set<String> servedBefore;

  public ClaimDesk(Repository mirror, String url, String branch, Clock clock, Runnable reconcileNow,
      Supplier<Served> served) {
    this(mirror, url, branch, clock, reconcileNow, served, new GitTransport(GitAccess.NONE));
  }

  /** Reaching {@code url} through {@code transports} (its credentials). */
  public ClaimDesk(Repository mirror, String url, String branch, Clock clock, Runnable reconcileNow,
      Supplier<Served> served, GitTransport transports) {
    this.commits = new FleetCommits(mirror, AUTHOR, transports);
    this.url = url;
    this.branch = branch;
    this.clock = clock;
    this.reconcileNow = reconcileNow;
    this.served = served;
    this.admission = new Admission(new EditCheck(new FleetValidator(clock)));
    this.writer = Thread.ofVirtual().name("flotilla-claims").start(this::write);
  }

  /** Records claims, approvals and rejections in {@code history} from now on; returns this desk. */
  public ClaimDesk history(dev.flotilla.history.History history) {
    this.events = new ClaimEvents(history);
    return this;
  }

  /** Decides and commits {@code request}; {@code tokenHash} is the sha256 of its token, which is not kept. */
  public Outcome submit(ClaimRequest request, String tokenHash) throws InterruptedException {
    var answer = new CompletableFuture<Outcome>();
    queue.add(new Submission(request, tokenHash, answer));
    try {
      return answer.get();
    } catch (ExecutionException e) {
      return Outcome.refused(503, "claim: could not commit it: " + e.getCause().getMessage() + "; retry later");
    }
  }

  /** Re-reads the claims branch; call on every reconcile pass and at start, so a restart loses nothing. */
  public synchronized void refresh() throws IOException {
    commits.fetch(url, PendingClaim.BRANCH);
    var before = claims;
    claims = ClaimsBranch.read(commits, PendingClaim.BRANCH);
    var current = served.get();
    var servedNow = current == null ? null : current.devices().keySet();
    if (events != null && servedBefore != null && servedNow != null) {
      events.refreshed(before, claims, servedBefore, servedNow, current.revision().commit(), clock.instant());
    }
    servedBefore = servedNow == null ? servedBefore : servedNow;
  }

  /** A claim as a device polling it sees it, with the public key its poll must be signed with. */
  public record Lookup(Outcome outcome, String publicKey) {}

  public java.util.Optional<Lookup> lookup(String id) {
    var current = served.get();
    if (current != null) {
      for (var e : current.devices().entrySet()) {
        var pem = dev.flotilla.trust.Keys.publicPem(e.getValue().key());
        if (PendingClaim.id(pem).equals(id)) {
          return java.util.Optional.of(new Lookup(new Outcome(200, "enrolled", id, e.getKey(),
              e.getValue().tenant(), "enrolled as device '" + e.getKey() + "'"), pem));
        }
      }
    }
    var claim = approved.get(id);
    if (claim != null) {
      return java.util.Optional.of(new Lookup(outcome(200, "approved", claim), claim.publicKey()));
    }
    var branchNow = claims;
    if (branchNow.rejected().containsKey(id)) {
      var c = branchNow.rejected().get(id);
      return java.util.Optional.of(new Lookup(outcome(200, "rejected", c), c.publicKey()));
    }
    if (branchNow.pending().containsKey(id)) {
      var c = branchNow.pending().get(id);
      return java.util.Optional.of(new Lookup(outcome(200, "pending", c), c.publicKey()));
    }
    return java.util.Optional.empty();
  }

  private static Outcome outcome(int status, String state, PendingClaim claim) {
    var message = switch (state) {
      case "pending" -> "waiting for 'flotilla claim approve " + claim.id() + "'";
      case "approved" -> "committed as device '" + claim.device() + "'; its first bundle is being made";
      case "rejected" -> "rejected by an operator";
      default -> state;
    };
    return new Outcome(status, state, claim.id(), claim.device(), claim.tenant(), message);
  }

  private void write() {
    while (!Thread.currentThread().isInterrupted()) {
      var batch = new ArrayList<Submission>();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      try {
        decideAndCommit(batch);
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "commit " + batch.size() + " claim(s): " + e.getMessage());
        batch.forEach(s -> s.answer().completeExceptionally(e));
      }
    }
  }

  private void decideAndCommit(List<Submission> batch) throws IOException {
    var decisions = new Enrolment.Decision[batch.size()];
    var pendingNow = claims;
    var enrolledAt = commits.push(url, branch, tip -> {
      var view = FleetView.of(tip, List.copyOf(pendingNow.pending().values()));
      for (int i = 0; i < batch.size(); i++) {
        decisions[i] = Enrolment.decide(view, batch.get(i).request(), batch.get(i).tokenHash(), clock.instant());
      }
      var changes = tip == null ? List.<FileChange>of() : admission.admit(tip, decisions, clock.instant());
      return changes.isEmpty() ? FleetCommits.Proposal.NOTHING : new FleetCommits.Proposal(changes,
          message(changes.size(), batch, decisions));
    });
    var pend = new ArrayList<FileChange>();
    for (var decision : decisions) {
      if (decision instanceof Enrolment.Pend p) {
        pend.add(FileChange.put(PendingClaim.pendingPath(p.claim().id()), p.claim().toYaml()));
      }
    }
    String pendedAt = null;
    if (!pend.isEmpty()) {
      pendedAt = commits.push(url, PendingClaim.BRANCH, tip -> new FleetCommits.Proposal(pend,
          "claims: " + pend.size() + " pending claim(s) for 'flotilla claim approve'")).commit();
      refresh();
    }
    if (events != null) {
      events.decided(decisions, enrolledAt.created() ? enrolledAt.commit() : null, pendedAt, clock.instant());
    }
    boolean enrolled = false;
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).answer().complete(answer(decisions[i]));
      enrolled |= decisions[i] instanceof Enrolment.Enrol;
    }
    if (enrolled) {
      reconcileNow.run();
    }
  }

  private Outcome answer(Enrolment.Decision decision) {
    return switch (decision) {
      case Enrolment.Enrol e -> {
        approved.put(e.claim().id(), e.claim());
        yield outcome(201, "approved", e.claim());
      }
      case Enrolment.Pend p -> outcome(202, "pending", p.claim());
      case Enrolment.Already a -> lookup(a.id()).map(Lookup::outcome)
          .orElse(new Outcome(200, a.pending() ? "pending" : "approved", a.id(), a.member().name(),
              a.member().tenant(), "claimed before"));
      case Enrolment.Refused r -> Outcome.refused(r.status(), r.message());
    };
  }

  private static String message(int count, List<Submission> batch, Enrolment.Decision[] decisions) {
    var names = new ArrayList<String>();
    for (var d : decisions) {
      if (d instanceof Enrolment.Enrol e && names.size() < 5) {
        names.add(e.claim().tenant() + "/" + e.claim().device());
      }
    }
    return "claim: enrol " + (count == 1 ? "device " + names.getFirst() : count + " devices: "
        + String.join(", ", names) + (count > names.size() ? ", …" : "")) + "\n\nAuto-approved claim tokens.";
  }

  @Override
  public void close() {
    writer.interrupt();
  }

  /** The pending and rejected claims on the claims branch, by id. */
  record ClaimsBranch(Map<String, PendingClaim> pending, Map<String, PendingClaim> rejected) {
    static final ClaimsBranch EMPTY = new ClaimsBranch(Map.of(), Map.of());

    static ClaimsBranch read(FleetCommits commits, String branch) throws IOException {
      var tip = commits.trackingTip(branch);
      return tip == null ? EMPTY : of(tip);
    }

    static ClaimsBranch of(CommitTree tree) throws IOException {
      var pending = new java.util.TreeMap<String, PendingClaim>();
      var rejected = new java.util.TreeMap<String, PendingClaim>();
      for (var path : tree.paths()) {
        var target = path.startsWith("pending/") ? pending : path.startsWith("rejected/") ? rejected : null;
        if (target != null && path.endsWith(".yaml")) {
          var claim = readable(tree, path);
          if (claim != null) {
            target.put(claim.id(), claim);
          }
        }
      }
      return new ClaimsBranch(pending, rejected);
    }

    /**
     * The claim at {@code path}, or null for a file that does not parse or a claim whose key the one key rule
     * refuses (stored by an older reconciler): neither can be polled or enrolled, and one such file must not stop
     * every other claim. 'flotilla claim approve' refuses it with the reason.
     */
    private static PendingClaim readable(CommitTree tree, String path) throws IOException {
      try {
        var claim = PendingClaim.parse(tree.read(path, 1 << 16));
        return PendingClaim.keyIdOf(claim.publicKey()) == null ? null : claim;
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        LOG.log(System.Logger.Level.WARNING, "read claim '" + path + "': " + e.getOriginalMessage() + "; skipped");
        return null;
      }
    }
  }
}
