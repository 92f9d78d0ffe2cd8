package dev.flotilla.ui;

import dev.flotilla.access.OperatorScope;
import dev.flotilla.history.EventKind;
import dev.flotilla.history.HistoryQuery;
import dev.flotilla.model.RolloutPhase;
import dev.flotilla.rollout.RolloutRunner.RolloutView;
import dev.flotilla.schema.Durations;
import dev.flotilla.ui.Views.DecisionLine;
import dev.flotilla.ui.Views.DeviceRow;
import dev.flotilla.ui.Views.FleetPage;
import dev.flotilla.ui.Views.Frame;
import dev.flotilla.ui.Views.HistoryPage;
import dev.flotilla.ui.Views.RolloutCard;
import dev.flotilla.ui.Views.RolloutsPage;
import dev.flotilla.ui.Views.TenantCounts;
import dev.flotilla.ui.Views.WaveLine;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Builds the fleet, rollouts and history pages for one operator's scope. Reads only; thread-safe. */
final class Pages {
  static final int PAGE_SIZE = 200;
  private static final Set<RolloutPhase> ATTENTION = Set.of(RolloutPhase.PAUSED, RolloutPhase.ROLLING_BACK,
      RolloutPhase.ROLLED_BACK, RolloutPhase.ABORTED);
  private final BoardSource source;
  private final FleetRows rows;

  Pages(BoardSource source, FleetRows rows) {
    this.source = source;
    this.rows = rows;
  }

  Frame frame(String title, String active, OperatorScope scope) {
    var good = source.reconciler().status().good();
    return new Frame(title, active, scope, good == null ? null : good.commit(), source.clock().instant());
  }

  /** The fleet page; {@code tenant} and {@code state} filter the table when not null; pages count from 1. */
  FleetPage fleet(OperatorScope scope, String tenant, DeviceState state, int page) {
    var all = rows.rows(scope);
    var byTenant = new TreeMap<String, List<DeviceRow>>();
    all.forEach(row -> byTenant.computeIfAbsent(row.tenant(), t -> new java.util.ArrayList<>()).add(row));
    var tenants = byTenant.entrySet().stream().map(e -> counts(e.getKey(), e.getValue())).toList();
    var matching = all.stream().filter(r -> tenant == null || r.tenant().equals(tenant))
        .filter(r -> state == null || r.state() == state).toList();
    int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int current = Math.min(Math.max(page, 1), pages);
    var shown = matching.subList((current - 1) * PAGE_SIZE, Math.min(matching.size(), current * PAGE_SIZE));
    var since = source.clock().instant().minus(Duration.ofHours(1));
    var lastHour = ScopedHistory.query(source.history(), scope, new HistoryQuery(null, null, Set.of(), since, null,
        50));
    return new FleetPage(frame("Fleet", "fleet", scope), counts("all tenants", all), tenants, shown, shown.size(),
        matching.size(), tenant, state == null ? null : state.css(), current, pages, ScopedHistory.lines(lastHour));
  }

  static TenantCounts counts(String tenant, List<DeviceRow> rows) {
    var counts = new EnumMap<DeviceState, Integer>(DeviceState.class);
    rows.forEach(row -> counts.merge(row.state(), 1, Integer::sum));
    var claimed = rows.size() - counts.getOrDefault(DeviceState.PENDING_CLAIM, 0);
    var inSync = counts.getOrDefault(DeviceState.IN_SYNC, 0);
    return new TenantCounts(tenant, counts, rows.size(), claimed == 0 ? 100 : (int) Math.floor(100.0 * inSync
        / claimed));
  }

  /** Every rollout the scope sees: paused, rolling back, rolled back and aborted ones first. */
  RolloutsPage rollouts(OperatorScope scope) {
    var result = source.reconciler().rollouts();
    var views = result == null ? List.<RolloutView>of() : result.rollouts();
    var cards = scope.filter(views.stream(), v -> v.plan().tenant()).map(this::card)
        .sorted(Comparator.comparing((RolloutCard c) -> !c.attention()).thenComparing(RolloutCard::key)).toList();
    return new RolloutsPage(frame("Rollouts", "rollouts", scope), cards);
  }

  private RolloutCard card(RolloutView view) {
    var plan = view.plan();
    var state = view.state();
    var waves = new java.util.ArrayList<WaveLine>();
    for (int i = 0; i < plan.waves().size(); i++) {
      var planned = plan.waves().get(i);
      var counts = i < view.waves().size() ? view.waves().get(i) : null;
      var started = i < state.waves().size() ? state.waves().get(i) : null;
      var ratio = counts == null ? 0 : counts.failureRatio();
      waves.add(new WaveLine(planned.name(), planned.devices().size(), counts == null ? 0 : counts.succeeded(),
          counts == null ? 0 : counts.failed(), counts == null ? planned.devices().size() : counts.pending(),
          percent(ratio), ratio > plan.maxFailureRatio(), started == null ? "not started"
              : i < state.wave() ? "done" : "current", bake(planned.bakeTime(), started)));
    }
    var decisions = state.decisions().reversed().stream().map(d -> new DecisionLine(d.at(), d.phase().value(),
        d.wave(), d.reason(), d.message())).toList();
    return new RolloutCard(plan.key(), plan.tenant(), plan.artifact(), plan.version(), state.phase().value(),
        ATTENTION.contains(state.phase()), percent(plan.maxFailureRatio()), waves, decisions);
  }

  /** The bake timer of a wave: its length, and how much is left once baking started. */
  private String bake(Duration bakeTime, dev.flotilla.rollout.RolloutState.WaveState wave) {
    if (bakeTime.isZero()) {
      return "no bake time";
    }
    if (wave == null || wave.bakeStartedAt() == null) {
      return "bakes " + Durations.format(bakeTime);
    }
    var left = Duration.between(source.clock().instant(), wave.bakeStartedAt().plus(bakeTime));
    return left.isNegative() ? "baked " + Durations.format(bakeTime)
        : Durations.format(left.withNanos(0)) + " of " + Durations.format(bakeTime) + " left";
  }

  private static String percent(double ratio) {
    return Math.round(ratio * 1000) / 10.0 + "%";
  }

  /** The history page: the newest 500 events the filter selects. */
  HistoryPage history(OperatorScope scope, HistoryFilter filter) {
    var tenants = source.reconciler().snapshot() == null ? List.<String>of()
        : scope.filter(source.reconciler().snapshot().tenants().stream().map(t -> t.resource().getMetadata()
            .getName()), t -> t).sorted().toList();
    var kinds = Arrays.stream(EventKind.values()).map(EventKind::wireName).toList();
    var events = filter.error() != null ? List.<dev.flotilla.history.HistoryEvent>of()
        : ScopedHistory.query(source.history(), scope, filter.query(500));
    return new HistoryPage(frame("History", "history", scope), tenants, kinds, filter.tenant(), filter.device(),
        filter.kind(), filter.sinceText(), filter.untilText(), ScopedHistory.lines(events), filter.error());
  }
}
