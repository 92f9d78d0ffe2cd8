package dev.flotilla.report;

import dev.flotilla.history.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Uptime of a tenant's devices over [{@code from}, {@code to}), per device and per group (a site, a label's value,
 * or each device on its own), from the history's transitions. A device is down while offline or failing
 * ({@link Episodes}); downtime inside a maintenance window is counted apart, not against uptime. Pure: the same
 * events give the same report.
 *
 * @param by what the groups are: {@code device}, {@code site} or {@code label:K}
 */
public record UptimeReport(String tenant, Instant from, Instant to, String by, List<Row> devices, List<Row> groups,
    Row total) {

  /**
   * One line of the report.
   *
   * @param device the device, or null for a group or the total
   * @param episodes how many times the devices went down
   * @param mttrMinutes the mean time from down to up again over episodes that ended in the period; null if none did
   * @param downtimeCost downtime hours times the cost per hour; null when no cost per hour is known
   */
  public record Row(String group, String device, double uptimePercent, double downtimeMinutes,
      double maintenanceMinutes, int episodes, Double mttrMinutes, int applies, int failures, Double downtimeCost) {}

  /** A device of the report, the group it belongs to, and what an hour of its downtime costs (null: unknown). */
  public record Member(String device, String group, Double costPerHour) {}

  /** A time span, start inclusive, end exclusive. */
  public record Span(Instant start, Instant end) {
    long overlapMillis(Instant from, Instant to) {
      var s = start.isAfter(from) ? start : from;
      var e = end.isBefore(to) ? end : to;
      return Math.max(0, Duration.between(s, e).toMillis());
    }
  }

  /** The maintenance windows of a device within a period. */
  public interface Maintenance {
    Maintenance NONE = (device, from, to) -> List.of();

    List<Span> of(String device, Instant from, Instant to);
  }

  /**
   * The report of {@code members}, from {@code events} by device (oldest first; events before {@code from} set
   * the state the period starts in).
   */
  public static UptimeReport of(String tenant, Instant from, Instant to, String by, List<Member> members,
      Map<String, List<HistoryEvent>> events, Maintenance maintenance) {
    var devices = new ArrayList<Row>();
    var tallies = new TreeMap<String, Tally>();
    var total = new Tally();
    for (var member : members.stream().sorted(Comparator.comparing(Member::group).thenComparing(Member::device))
        .toList()) {
      var tally = new Tally();
      tally.add(member, Episodes.of(events.getOrDefault(member.device(), List.of()), from, to), from, to,
          maintenance.of(member.device(), from, to));
      devices.add(tally.row(member.group(), member.device()));
      tallies.computeIfAbsent(member.group(), g -> new Tally()).merge(tally);
      total.merge(tally);
    }
    var groups = tallies.entrySet().stream().map(e -> e.getValue().row(e.getKey(), null)).toList();
    return new UptimeReport(tenant, from, to, by, devices, groups, total.row("all", null));
  }

  /** Sums of one device or many. */
  private static final class Tally {
    long periodMillis;
    long downMillis;
    long maintenanceMillis;
    int episodes;
    long repairMillis;
    int repaired;
    int applies;
    int failures;
    double cost;
    boolean costKnown = true;

    void add(Member member, Episodes.Result result, Instant from, Instant to, List<Span> windows) {
      periodMillis = Duration.between(from, to).toMillis();
      for (var episode : result.episodes()) {
        if (episode.end() != null && !episode.end().isAfter(from)) {
          continue; // over before the period began
        }
        var span = new Span(episode.start(), episode.end() == null ? to : episode.end());
        long down = span.overlapMillis(from, to);
        long inWindows = windows.stream().mapToLong(w -> new Span(w.start(), w.end())
            .overlapMillis(max(from, span.start()), min(to, span.end()))).sum();
        maintenanceMillis += inWindows;
        downMillis += down - inWindows;
        episodes++;
        if (episode.end() != null && !episode.end().isAfter(to) && episode.end().isAfter(from)) {
          repairMillis += Duration.between(episode.start(), episode.end()).toMillis();
          repaired++;
        }
      }
      applies = result.applies();
      failures = result.failures();
      costKnown = member.costPerHour() != null;
      cost = costKnown ? member.costPerHour() * downMillis / 3_600_000.0 : 0;
    }

    void merge(Tally other) {
      periodMillis += other.periodMillis;
      downMillis += other.downMillis;
      maintenanceMillis += other.maintenanceMillis;
      episodes += other.episodes;
      repairMillis += other.repairMillis;
      repaired += other.repaired;
      applies += other.applies;
      failures += other.failures;
      cost += other.cost;
      costKnown &= other.costKnown;
    }

    Row row(String group, String device) {
      double uptime = periodMillis == 0 ? 100.0 : 100.0 * (periodMillis - downMillis) / periodMillis;
      return new Row(group, device, uptime, downMillis / 60_000.0, maintenanceMillis / 60_000.0, episodes,
          repaired == 0 ? null : repairMillis / 60_000.0 / repaired, applies, failures, costKnown ? cost : null);
    }

    private static Instant max(Instant a, Instant b) {
      return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
      return a.isBefore(b) ? a : b;
    }
  }
}
