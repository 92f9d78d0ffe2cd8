package dev.flotilla.rollout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.fleet.Document;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.History;
import dev.flotilla.history.HistoryEvent;
import dev.flotilla.model.Device;
import dev.flotilla.model.Rollout;
import dev.flotilla.render.DeviceRenderer;
import dev.flotilla.render.FleetIndex;
import dev.flotilla.render.RolloutVersions;
import dev.flotilla.status.StatusBoard;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollout step of a reconcile pass: read the rollout states from the status branch, step every rollout of the
 * commit with the devices' latest reports, commit the states that changed, and say which versions devices get.
 * The commit happens before any bundle is published, so a decision is in Git before it takes effect; when another
 * reconciler moved the status branch first, this one reads it again and steps again (Git push decides the race).
 * Not thread-safe; the reconciler runs one pass at a time.
 */
public final class RolloutRunner {
  private static final int ATTEMPTS = 5;
  private final StatusBranch branch;
  private final StatusBoard board;
  private final Clock clock;
  private Map<String, RolloutState> states;
  private String base;
  private History history;

  public RolloutRunner(StatusBranch branch, StatusBoard board, Clock clock) {
    this.branch = branch;
    this.board = board;
    this.clock = clock;
  }

  /** Records every decision committed from now on in {@code history} (kind rollout); returns this runner. */
  public RolloutRunner history(History history) {
    this.history = history;
    return this;
  }

  /** The outcome of one step: every rollout's plan and state, and the versions they give devices. */
  public record Result(List<RolloutView> rollouts, RolloutVersions versions) {}

  /** One rollout of the commit: its plan, its state after this step, and how each started wave stands. */
  public record RolloutView(RolloutPlan plan, RolloutState state, List<Counts> waves) {}

  /** Steps every rollout of {@code index}; throws when the status branch cannot be read or written. */
  public Result step(FleetIndex index) throws IOException {
    for (int attempt = 1; ; attempt++) {
      if (states == null) {
        reload();
      }
      var now = clock.instant();
      var facts = new RolloutFacts(index, new DeviceRenderer(index), board.all());
      var views = new ArrayList<RolloutView>();
      var changed = new TreeMap<String, byte[]>();
      for (var rollout : index.snapshot().rollouts()) {
        var view = step(rollout, facts, now);
        views.add(view);
        var key = view.plan().key();
        if (view.state() != states.get(key)) {
          changed.put(RolloutStatusFile.path(view.plan().tenant(), view.plan().rollout()),
              RolloutStatusFile.write(view.state()));
        }
      }
      // nothing to write is a success even before the status branch exists (base null)
      var committed = changed.isEmpty() ? base : branch.commit(base, changed, message(views, changed.size()));
      if (changed.isEmpty() || committed != null) {
        base = committed;
        record(views, now, committed);
        views.forEach(v -> states.put(v.plan().key(), v.state()));
        return new Result(views, RolloutState.versions(views.stream().map(RolloutView::state).toList()));
      }
      states = null;
      if (attempt == ATTEMPTS) {
        throw new IOException("commit rollout status: the status branch moved " + ATTEMPTS + " times in a row");
      }
    }
  }

  /** The plan of {@code rollout} in {@code index}, as a pass makes it; {@code started} may be null. Pure. */
  public static RolloutPlan plan(FleetIndex index, Rollout rollout, RolloutState started) {
    return plan(new RolloutFacts(index, new DeviceRenderer(index), Map.of()), rollout, started);
  }

  private static RolloutPlan plan(RolloutFacts facts, Rollout rollout, RolloutState started) {
    List<Device> devices = facts.devicesOf(rollout.getMetadata().getTenant());
    var artifact = rollout.getSpec().getArtifact().getName();
    return WavePlanner.plan(rollout, devices, d -> facts.runs(d, artifact), started);
  }

  private RolloutView step(Document<Rollout> rollout, RolloutFacts facts, java.time.Instant now) {
    var resource = rollout.resource();
    var prior = states.get(resource.getMetadata().getTenant() + "/" + resource.getMetadata().getName());
    var plan = plan(facts, resource, prior);
    var observed = facts.observed(plan, now);
    var next = RolloutEngine.step(plan, prior, observed, now);
    return new RolloutView(plan, next, RolloutEngine.waveCounts(plan, next, observed, now));
  }

  /** The decisions this step took (those made at {@code now}) as history events of the status commit. */
  private void record(List<RolloutView> views, java.time.Instant now, String commit) {
    if (history == null) {
      return;
    }
    for (var view : views) {
      if (view.state() == states.get(view.plan().key())) {
        continue;
      }
      for (var decision : view.state().decisions()) {
        if (decision.at().equals(now)) {
          var counts = decision.counts();
          var detail = JsonNodeFactory.instance.objectNode().put("rollout", view.plan().rollout())
              .put("artifact", view.state().artifact()).put("version", view.state().version())
              .put("phase", decision.phase().value()).put("wave", decision.wave()).put("reason", decision.reason())
              .put("message", decision.message());
          detail.putObject("counts").put("succeeded", counts.succeeded()).put("failed", counts.failed())
              .put("pending", counts.pending()).put("size", counts.size());
          history.record(new HistoryEvent(now, view.plan().tenant(), null, EventKind.ROLLOUT, commit, detail));
        }
      }
    }
  }

  private void reload() throws IOException {
    var snapshot = branch.read();
    states = RolloutStatusFile.readAll(snapshot.files());
    base = snapshot.commit();
  }

  private static String message(List<RolloutView> views, int changed) {
    var lines = new ArrayList<String>();
    for (var view : views) {
      var decisions = view.state().decisions();
      if (!decisions.isEmpty() && decisions.getLast().at().equals(view.state().updatedAt())) {
        var d = decisions.getLast();
        lines.add("rollout " + view.plan().key() + ": " + d.phase().value() + " (" + d.reason() + "): " + d.message());
      }
    }
    var subject = lines.size() == 1 ? lines.getFirst() : "rollouts: " + changed + " status file(s) updated";
    return lines.size() <= 1 ? subject : subject + "\n\n" + String.join("\n", lines);
  }
}
