package dev.flotilla.history;

import dev.flotilla.git.CommitTree;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * History read straight from a commit of the status branch, without an index: what {@code flotilla history --repo}
 * shows offline. Only the files the query can match are read (by tenant and day); every line's chain is checked
 * and the lines that do not hold are returned as tampered, never as events.
 */
public final class BranchHistory {
  /** The events a query selected, newest first, and the lines found not to be what was written. */
  public record Result(List<HistoryEvent> events, List<HistoryLines.Tampered> tampered) {}

  private BranchHistory() {}

  public static Result query(CommitTree tip, HistoryQuery query) throws IOException {
    var events = new ArrayList<HistoryEvent>();
    var tampered = new ArrayList<HistoryLines.Tampered>();
    for (var path : tip == null ? List.<String>of() : tip.paths()) {
      if (wanted(path, query)) {
        var parsed = HistoryLines.parse(path, tip.read(path, HistorySync.MAX_FILE));
        tampered.addAll(parsed.tampered());
        parsed.entries().stream().map(HistoryLines.Entry::event).filter(query::matches).forEach(events::add);
      }
    }
    events.sort(Comparator.comparing(HistoryEvent::at).reversed());
    return new Result(List.copyOf(events.subList(0, Math.min(query.limit(), events.size()))), tampered);
  }

  private static boolean wanted(String path, HistoryQuery query) {
    var day = HistoryLines.day(path);
    if (day == null) {
      return false;
    }
    var tenant = path.substring(HistoryLines.DIR.length(), path.lastIndexOf('/'));
    return (query.tenant() == null || query.tenant().equals(tenant))
        && (query.since() == null || !day.isBefore(LocalDate.ofInstant(query.since(), ZoneOffset.UTC)))
        && (query.until() == null || !day.isAfter(LocalDate.ofInstant(query.until(), ZoneOffset.UTC)));
  }
}
