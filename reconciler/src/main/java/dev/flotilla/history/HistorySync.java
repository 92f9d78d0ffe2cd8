package dev.flotilla.history;

import dev.flotilla.git.CommitTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings the index to a commit of the status branch: reads the history files whose blob changed since it last read
 * them, checks every line's chain and that lines read before are still there unchanged, indexes the lines that hold,
 * and forgets files the commit no longer has (retention). Lines that do not hold are reported, once each, and never
 * indexed. Not thread-safe: {@link GitHistory} calls it from one thread at a time.
 */
final class HistorySync {
  static final int MAX_FILE = 1 << 28;
  private static final System.Logger LOG = System.getLogger("flotilla.history");
  private final HistoryIndex index;
  private final Set<HistoryLines.Tampered> tampered = new LinkedHashSet<>();

  HistorySync(HistoryIndex index) {
    this.index = index;
  }

  /** Every line reported so far as not what was written. */
  synchronized List<HistoryLines.Tampered> tampered() {
    return List.copyOf(tampered);
  }

  /** Indexes {@code tip}'s history files (none when {@code tip} is null). */
  synchronized void sync(CommitTree tip) throws IOException {
    var known = index.files();
    var present = new HashSet<String>();
    if (tip != null) {
      for (var path : tip.paths()) {
        if (HistoryLines.day(path) == null) {
          continue;
        }
        present.add(path);
        var blob = tip.contentId(path).orElseThrow();
        var before = known.get(path);
        if (before == null || !before.blob().equals(blob)) {
          read(path, blob, tip.read(path, MAX_FILE), before);
        }
      }
    }
    for (var path : known.keySet()) {
      if (!present.contains(path)) {
        index.remove(path);
      }
    }
  }

  private void read(String path, String blob, byte[] content, HistoryIndex.FileState before) throws IOException {
    var all = HistoryLines.parse(path, content, Integer.MAX_VALUE);
    // a file that only grew keeps its head at the line read last: only the lines after it are new
    boolean grew = before != null && all.lines() >= before.lines() && before.lines() > 0
        && all.chains().get(before.lines() - 1).equals(before.head());
    var parsed = HistoryLines.parse(path, content, grew ? before.lines() + 1 : 1);
    var found = new ArrayList<>(parsed.tampered());
    if (before != null && before.lines() > 0 && !grew) {
      var changed = firstChanged(path, parsed);
      if (changed > 0) {
        found.add(new HistoryLines.Tampered(path, changed, "differs from what was read before (an event changed or "
            + "removed after it was written); the index keeps what it read"));
      }
    }
    for (var problem : found) {
      if (tampered.add(problem)) {
        LOG.log(System.Logger.Level.WARNING, problem.toString());
      }
    }
    index.put(path, parsed.entries());
    index.file(path, new HistoryIndex.FileState(blob, parsed.lines(), parsed.head()));
  }

  /** The first line whose chain value differs from the one indexed before; 0 when none does. */
  private int firstChanged(String path, HistoryLines.Parsed parsed) throws IOException {
    var indexed = index.chains(path);
    var lines = indexed.keySet().stream().sorted().toList();
    for (var line : lines) {
      if (line > parsed.lines() || !parsed.chains().get(line - 1).equals(indexed.get(line))) {
        return Math.min(line, parsed.lines() + 1);
      }
    }
    return 0;
  }
}
