package dev.flotilla.ui;

import dev.flotilla.access.OperatorScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What each page shows, as values the templates read; built by {@link Pages}. */
public final class Views {
  private Views() {}

  /** What every page has: who is looking, the commit served, and the time of the page. */
  public record Frame(String title, String active, OperatorScope scope, String commit, Instant now) {
    public String who() {
      return scope.allTenants() ? scope.name() + " (all tenants)"
          : scope.name() + " (" + String.join(", ", scope.tenants().stream().sorted().toList()) + ")";
    }

    public String shortCommit() {
      return commit == null ? "none yet" : commit.substring(0, Math.min(12, commit.length()));
    }

    /** How long before the page {@code at} was: {@code 42 s ago}, {@code 3 min ago}; {@code never} for null. */
    public String ago(Instant at) {
      if (at == null) {
        return "never";
      }
      var seconds = Math.max(0, java.time.Duration.between(at, now).toSeconds());
      return seconds < 120 ? seconds + " s ago" : seconds < 7200 ? seconds / 60 + " min ago"
          : seconds < 172_800 ? seconds / 3600 + " h ago" : seconds / 86_400 + " d ago";
    }

    /** {@code at} in UTC to the second, as people read it: {@code 2026-12-07 23:41:07}. */
    public String time(Instant at) {
      return at == null ? "" : TIME.format(at);
    }
  }

  private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

  /**
   * One device in the fleet table; {@code report} is its last report (null when none), read only for the rows a
   * page shows.
   */
  public record DeviceRow(String name, String tenant, String channel, DeviceState state, long published,
      long reported, Instant lastSeen, dev.flotilla.model.StatusReport report) {
    /** Its apps and their versions: {@code pos 1.2.0, menu 3.0.2}. */
    public String apps() {
      return report == null ? "" : FleetRows.apps(report);
    }

    /** The first thing wrong with it, in words; empty when nothing is. */
    public String problem() {
      return report == null ? "" : FleetRows.problem(report);
    }
  }

  /** Devices by state in one tenant, and the share in sync. */
  public record TenantCounts(String tenant, Map<DeviceState, Integer> counts, int total, int compliance) {
    public int count(DeviceState state) {
      return counts.getOrDefault(state, 0);
    }
  }

  /** One history event as a line: when, whose, what, and the commit it came from. */
  public record EventLine(Instant at, String tenant, String device, String kind, String commit, String summary) {
    public String shortCommit() {
      return commit == null ? "" : commit.substring(0, Math.min(12, commit.length()));
    }
  }

  public record FleetPage(Frame frame, TenantCounts fleet, List<TenantCounts> tenants, List<DeviceRow> rows,
      int shown, int matching, String tenantFilter, String stateFilter, int page, int pages,
      List<EventLine> lastHour) {}

  /** A resource that does not comply, and why. */
  public record Failing(String kind, String name, String message) {}

  /** A device's place in one rollout. */
  public record DeviceRollout(String key, String phase, String wave, boolean updated) {}

  public record DevicePage(Frame frame, DeviceRow row, Map<String, String> labels, String site, String identity,
      String keyId, boolean cordoned, String desiredCommit, Instant issuedAt, List<String> conditions,
      List<Failing> failing, List<String> journal, EventLine lastReceipt, String receiptDetail,
      List<EventLine> history, List<DeviceRollout> rollouts, List<String> plan) {}

  /** One wave of a rollout: its counts, ratio, and bake timer. */
  public record WaveLine(String name, int size, int succeeded, int failed, int pending, String ratio,
      boolean over, String state, String bake) {}

  /** One decision of a rollout's timeline. */
  public record DecisionLine(Instant at, String phase, String wave, String reason, String message) {}

  public record RolloutCard(String key, String tenant, String artifact, String version, String phase,
      boolean attention, String threshold, List<WaveLine> waves, List<DecisionLine> decisions) {}

  public record RolloutsPage(Frame frame, List<RolloutCard> rollouts) {}

  public record HistoryPage(Frame frame, List<String> tenants, List<String> kinds, String tenant, String device,
      String kind, String since, String until, List<EventLine> events, String error) {}

  public record CommitPage(Frame frame, String commit, String message, String author, Instant time,
      List<String> files, List<EventLine> events) {}

  /** The login form, with what went wrong on the last try (empty for none). */
  public record LoginPage(String error) {}
}
