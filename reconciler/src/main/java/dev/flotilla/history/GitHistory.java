package dev.flotilla.history;

import dev.flotilla.git.CommitTree;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.git.GitAccess;
import dev.flotilla.git.GitTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * History kept in Git: events are appended to the history files of the status branch ({@link HistoryLines}) in
 * batched commits, one per {@link Settings#batch()} at most, and served from a local SQLite index that is rebuilt
 * from the branch when it is missing. Pushes are compare-and-swap ({@link FleetCommits#push}): a writer that loses a
 * race reads the new tip and appends its events again, skipping those whose id the tip already has, so of two
 * reconcilers neither drops nor duplicates an event. {@link #record} returns at once; events not yet pushed when the
 * push fails are kept and pushed with the next batch; {@link #close} pushes what is left. Thread-safe.
 */
public final class GitHistory implements History, AutoCloseable {
  /**
   * How history is written and kept.
   *
   * @param batch how long events wait to be committed together
   * @param retention how many days of files the branch tip keeps; older day files are removed in a commit
   * @param fetchEvery how often an idle writer reads what other reconcilers wrote
   */
  public record Settings(Duration batch, int retentionDays, Duration fetchEvery) {
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(5), 400, Duration.ofSeconds(30));
  }

  private record Pending(String id, HistoryEvent event) {}

  private static final System.Logger LOG = System.getLogger("flotilla.history");
  private static final PersonIdent AUTHOR = new PersonIdent("Flotilla reconciler", "reconciler@flotilla.dev");
  private final FleetCommits commits;
  private final String url;
  private final String branch;
  private final HistoryIndex index;
  private final HistorySync sync;
  private final Clock clock;
  private final Settings settings;
  private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
  private final List<Consumer<HistoryEvent>> listeners = new CopyOnWriteArrayList<>();
  private final String instance;
  private final AtomicLong sequence = new AtomicLong();
  private final Thread writer;
  private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
  private Instant fetched = Instant.MIN;

  private GitHistory(Repository mirror, String url, String branch, HistoryIndex index, Clock clock,
      Settings settings, GitTransport transports) {
    this.commits = new FleetCommits(mirror, AUTHOR, transports);
    this.url = url;
    this.branch = branch;
    this.index = index;
    this.sync = new HistorySync(index);
    this.clock = clock;
    this.settings = settings;
    var random = new byte[5];
    new SecureRandom().nextBytes(random);
    this.instance = HexFormat.of().formatHex(random);
    this.writer = Thread.ofPlatform().name("flotilla-history").daemon(true).unstarted(this::write);
  }

  /**
   * The history of {@code branch} of {@code url}, read through {@code mirror}, indexed at {@code indexFile}: fetches
   * the branch and brings the index to it (all of it when the index is new). Call {@link #start} to write.
   */
  public static GitHistory open(Repository mirror, String url, String branch, Path indexFile, Clock clock,
      Settings settings) throws IOException {
    return open(mirror, url, branch, indexFile, clock, settings, new GitTransport(GitAccess.NONE));
  }

  /** As {@link #open(Repository, String, String, Path, Clock, Settings)}, reaching {@code url} through
   * {@code transports} (its credentials). */
  public static GitHistory open(Repository mirror, String url, String branch, Path indexFile, Clock clock,
      Settings settings, GitTransport transports) throws IOException {
    var index = HistoryIndex.open(indexFile);
    var history = new GitHistory(mirror, url, branch, index, clock, settings, transports);
    try {
      history.refresh();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "read history from '" + url + "': " + e.getMessage()
          + "; serving the index as it is until the next fetch");
    }
    return history;
  }

  /** Starts committing recorded events every {@link Settings#batch()}. */
  public GitHistory start() {
    writer.start();
    return this;
  }

  @Override
  public void record(HistoryEvent event) {
    HistoryLines.path(event);
    var pending = new Pending(instance + "-" + Long.toHexString(sequence.incrementAndGet()), event);
    try {
      index.put(null, List.of(new HistoryLines.Entry(pending.id(), 0, "", event)));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; the event is still committed to the status branch");
    }
    queue.add(pending);
    listeners.forEach(listener -> listener.accept(event));
  }

  @Override
  public List<HistoryEvent> query(HistoryQuery query) {
    try {
      return index.query(query);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void subscribe(Consumer<HistoryEvent> listener) {
    listeners.add(listener);
  }

  /** The lines of history files found not to be what was written (reported, never indexed or trusted). */
  public List<HistoryLines.Tampered> tampered() {
    return sync.tampered();
  }

  /**
   * Commits and pushes the events recorded so far, removes day files past retention, and indexes the pushed tip.
   * On failure the events stay queued for the next call. Returns the number of events pushed.
   */
  public synchronized int flush() throws IOException {
    var batch = new ArrayList<Pending>();
    queue.drainTo(batch);
    var now = clock.instant();
    try {
      var pushed = commits.push(url, branch, tip -> proposal(tip, batch, now));
      sync.sync(commits.trackingTip(branch));
      return pushed.created() ? batch.size() : 0;
    } catch (IOException | RuntimeException e) {
      for (int i = batch.size() - 1; i >= 0; i--) {
        queue.addFirst(batch.get(i));
      }
      throw e;
    }
  }

  /** Fetches the branch and indexes what other writers added. */
  public synchronized void refresh() throws IOException {
    fetched = clock.instant();
    commits.fetch(url, branch);
    sync.sync(commits.trackingTip(branch));
  }

  private FleetCommits.Proposal proposal(CommitTree tip, List<Pending> batch, Instant now) throws IOException {
    var paths = tip == null ? new HashSet<String>() : new HashSet<>(tip.paths());
    var changes = new ArrayList<FileChange>();
    var byPath = new TreeMap<String, List<Pending>>();
    batch.forEach(p -> byPath.computeIfAbsent(HistoryLines.path(p.event()), k -> new ArrayList<>()).add(p));
    int appended = 0;
    for (var entry : byPath.entrySet()) {
      var existing = paths.contains(entry.getKey()) ? tip.read(entry.getKey(), HistorySync.MAX_FILE) : new byte[0];
      var text = new StringBuilder(new String(existing, StandardCharsets.UTF_8));
      int added = append(text, existing, entry.getValue());
      if (added > 0) {
        changes.add(FileChange.put(entry.getKey(), text.toString()));
        appended += added;
      }
    }
    var cutoff = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(settings.retentionDays());
    var removed = paths.stream().filter(p -> HistoryLines.day(p) != null && HistoryLines.day(p).isBefore(cutoff))
        .sorted().toList();
    removed.forEach(p -> changes.add(FileChange.delete(p)));
    if (changes.isEmpty()) {
      return FleetCommits.Proposal.NOTHING;
    }
    return new FleetCommits.Proposal(changes, "history: " + appended + " event(s)" + (removed.isEmpty() ? ""
        : ", " + removed.size() + " day file(s) older than " + settings.retentionDays() + " days removed"));
  }

  /** Appends the events of {@code pending} that {@code existing} does not have yet; returns how many. */
  private static int append(StringBuilder text, byte[] existing, List<Pending> pending) {
    var ids = HistoryLines.ids(existing);
    var head = HistoryLines.head(existing);
    if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
      text.append('\n');
    }
    int added = 0;
    for (var p : pending) {
      if (ids.add(p.id())) {
        var line = HistoryLines.line(head, p.id(), p.event());
        head = HistoryLines.head(line.getBytes(StandardCharsets.UTF_8));
        text.append(line).append('\n');
        added++;
      }
    }
    return added;
  }

  /** The writer: never interrupted, so that no push is cut off half-way; {@link #close} counts {@code closing} down. */
  private void write() {
    while (true) {
      try {
        if (closing.await(settings.batch().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (queue.isEmpty() && clock.instant().isAfter(fetched.plus(settings.fetchEvery()))) {
          refresh();
        }
        flush();
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "commit history: " + dev.flotilla.io.Failures.describe(e) + "; "
            + queue.size() + " event(s) kept for the next batch");
      }
    }
  }

  @Override
  public void close() throws IOException {
    closing.countDown();
    try {
      writer.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (!queue.isEmpty()) {
        flush();
      }
    } finally {
      index.close();
    }
  }
}
