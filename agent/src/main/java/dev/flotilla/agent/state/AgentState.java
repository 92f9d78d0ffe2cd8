package dev.flotilla.agent.state;

import dev.flotilla.plan.AppChange;
import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.DeleteUnitFile;
import dev.flotilla.plan.Inventory;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.plan.RemoveApp;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteSealedFile;
import dev.flotilla.plan.WriteUnitFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The agent's local state in SQLite at {@code <stateDir>/agent.db} (WAL journal, full sync): the last accepted
 * bundle version, the inventory of what applied bundles wrote, the apply history and drift events. History and
 * drift events keep the newest {@value #KEEP_ROWS} rows, while {@link #driftCount()} counts every drift ever
 * recorded.
 *
 * <p><b>Schema versions and rollbacks.</b> The one row of {@code schema_version} holds the schema {@code version}
 * and {@code compatible_from}, the oldest schema whose agents can still read and write the database. An additive
 * change (a new table, a new column with a default, a new inventory kind) keeps {@code compatible_from}; a change
 * older agents would misread or corrupt raises it. On open: a database of {@link #SCHEMA_VERSION} or older is
 * upgraded in place in one transaction (one without {@code compatible_from} counts as compatible from its own
 * version); a newer one compatible from this agent's schema or older is used as it is, never downgraded nor its
 * version row rewritten, and says so in one log line; any other is refused and left untouched. So an operator can
 * roll the agent package back over additive schema changes without losing the last accepted bundle version or the
 * inventory. For that, this agent ignores what it does not know and keeps it: inventory rows of other kinds stay in
 * the database untouched (though a newer column of a row it rewrites returns to its default, so a new column's
 * default must mean "unknown"), and it never reads tables or columns it did not create. The two numbers live in a
 * column of the table that agents of schema 1 and 2 already read ({@code SELECT max(version)}), rather than in
 * {@code PRAGMA user_version}: one place, changed in the same transaction as the schema, and self-describing.
 *
 * <p>Every method throws {@link AgentStateException} (an {@link IOException}) naming the database when SQLite
 * fails. Thread-safe: one connection, methods synchronized.
 */
public final class AgentState implements AutoCloseable {
  static final int SCHEMA_VERSION = 2;
  /**
   * The oldest schema that can use a database of {@link #SCHEMA_VERSION}: 2, because agents of schema 1 would read
   * app rows as sysctl keys (and refuse any newer database anyway).
   */
  static final int COMPATIBLE_FROM = 2;
  static final int KEEP_ROWS = 10_000;
  /** The inventory kinds this agent reads and rewrites; rows of other kinds are a newer agent's, kept as they are. */
  private static final String KNOWN_KINDS = "('file', 'sysctl', 'unit-file', 'app')";

  private final Path file;
  private final Connection connection;
  private final Sql sql;

  private AgentState(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
    this.sql = new Sql(connection, file);
  }

  /** As {@link #open(Path, Consumer)}, logging nothing. */
  public static AgentState open(Path stateDir) throws AgentStateException {
    return open(stateDir, line -> { });
  }

  /**
   * Opens (creating the directory, database and schema when missing, upgrading an older schema) the state in
   * {@code stateDir}; a database from a newer agent that this one can use is opened as it is, with one line to
   * {@code log}.
   *
   * @throws AgentStateException {@code open agent state '/var/lib/flotilla/agent.db': <cause>}, also when the
   *     database is from a newer agent that this one cannot use (then nothing was written)
   */
  public static AgentState open(Path stateDir, Consumer<String> log) throws AgentStateException {
    var file = stateDir.resolve("agent.db");
    Connection connection = null;
    try {
      Files.createDirectories(stateDir);
      var config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout(5_000);
      connection = config.createConnection("jdbc:sqlite:" + file);
      var state = new AgentState(file, connection);
      var found = state.sql.schema();
      if (!found.newer()) {
        state.sql.migrate(found);
      } else if (found.usable()) {
        log.accept("agent state '" + file + "': " + found.describe());
      } else {
        throw new SQLException(found.describe());
      }
      return state;
    } catch (AgentStateException e) {
      abandon(connection);
      throw new AgentStateException("open agent state '" + file + "': " + e.getCause().getMessage(), e.getCause());
    } catch (SQLException | IOException e) {
      abandon(connection);
      throw new AgentStateException("open agent state '" + file + "': " + e.getMessage(), e);
    }
  }

  /** Closes a connection that failed to open as state; its own failure adds nothing to the one reported. */
  private static void abandon(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the open failure is what the caller needs to see
      }
    }
  }

  /** The newest bundle version accepted, or 0 when none was. */
  public synchronized long lastAcceptedVersion() throws AgentStateException {
    return sql.query("read last accepted version", "SELECT version FROM accepted WHERE id = 1",
        rows -> rows.next() ? rows.getLong(1) : 0L);
  }

  /**
   * Records that bundle {@code version} was accepted.
   *
   * @throws IllegalArgumentException when {@code version} is lower than the last accepted one (a rollback)
   */
  public synchronized void accept(long version, String sourceCommit, Instant at) throws AgentStateException {
    var last = lastAcceptedVersion();
    if (version < last) {
      throw new IllegalArgumentException(
          "accept bundle version " + version + ": lower than the last accepted version " + last);
    }
    sql.update("record accepted bundle", "INSERT INTO accepted (id, version, source_commit, at) VALUES (1, ?, ?, ?) "
        + "ON CONFLICT (id) DO UPDATE SET version = excluded.version, source_commit = excluded.source_commit, "
        + "at = excluded.at", version, sourceCommit, at.toString());
  }

  /** What earlier applies wrote; {@link Inventory#EMPTY} at first. */
  public synchronized Inventory inventory() throws AgentStateException {
    var files = new TreeSet<String>();
    var keys = new TreeSet<String>();
    var units = new TreeSet<String>();
    var apps = new TreeMap<String, Inventory.App>();
    sql.query("read inventory", "SELECT kind, name, unit, generated_unit FROM inventory", rows -> {
      while (rows.next()) {
        switch (rows.getString(1)) {
          case "file" -> files.add(rows.getString(2));
          case "unit-file" -> units.add(rows.getString(2));
          case "sysctl" -> keys.add(rows.getString(2));
          case "app" -> apps.put(rows.getString(2), new Inventory.App(rows.getString(3), rows.getInt(4) == 1));
          default -> { } // a kind a newer agent writes: not this agent's to prune, and kept by recordApply
        }
      }
      return null;
    });
    return new Inventory(files, keys, units, apps);
  }

  /**
   * Records an apply of bundle {@code bundleVersion}, in one transaction: the inventory becomes {@code
   * declared} (what the bundle now owns) when every change succeeded; when one failed or was skipped, the old
   * inventory plus every file and key the apply wrote, minus the files it deleted, so nothing written is ever
   * forgotten and nothing unwritten is claimed. An app is kept until a {@link RemoveApp} of it succeeded (so one
   * that is only reported, ignored or could not be reached yet is not forgotten). Adds a history entry.
   */
  public synchronized void recordApply(long bundleVersion, Inventory declared, ApplyResult result, Instant at)
      throws AgentStateException {
    sql.transaction("record apply", () -> {
      var complete = !result.failed() && result.count(Outcome.SKIPPED) == 0;
      var old = inventory();
      var inventory = keepingApps(complete ? declared : withWrites(old, result.results()), old, declared,
          result.results());
      sql.update("record apply", "DELETE FROM inventory WHERE kind IN " + KNOWN_KINDS);
      insertNames("file", inventory.files());
      insertNames("sysctl", inventory.sysctlKeys());
      insertNames("unit-file", inventory.unitFiles());
      for (var app : inventory.apps().entrySet()) {
        sql.update("record apply", "INSERT INTO inventory (kind, name, unit, generated_unit) VALUES ('app', ?, ?, ?)",
            app.getKey(), app.getValue().unit(), app.getValue().generatedUnit() ? 1 : 0);
      }
      sql.update("record apply", "INSERT INTO apply_history (bundle_version, at, ok, changes, error) "
          + "VALUES (?, ?, ?, ?, ?)", bundleVersion, at.toString(), result.failed() ? 0 : 1,
          result.results().size(), result.error().orElse(null));
      sql.prune("apply_history", KEEP_ROWS);
    });
  }

  private void insertNames(String kind, Collection<String> names) throws AgentStateException {
    for (var name : names) {
      sql.update("record apply", "INSERT INTO inventory (kind, name) VALUES (?, ?)", kind, name);
    }
  }

  /** The newest {@code limit} history entries, newest first. */
  public synchronized List<HistoryEntry> history(int limit) throws AgentStateException {
    return sql.query("read history", "SELECT bundle_version, at, ok, changes, error FROM apply_history "
        + "ORDER BY id DESC LIMIT " + Math.max(0, limit), rows -> {
          var entries = new ArrayList<HistoryEntry>();
          while (rows.next()) {
            entries.add(new HistoryEntry(rows.getLong(1), Instant.parse(rows.getString(2)), rows.getInt(3) == 1,
                rows.getInt(4), rows.getString(5)));
          }
          return entries;
        });
  }

  /** Records that resource {@code kind}/{@code name} drifted from {@code expected} to {@code actual}. */
  public synchronized void recordDrift(String kind, String name, String mode, String expected, String actual,
      Instant at) throws AgentStateException {
    sql.transaction("record drift", () -> {
      sql.update("record drift", "INSERT INTO drift_events (kind, name, mode, expected, actual, at) "
          + "VALUES (?, ?, ?, ?, ?, ?)", kind, name, mode, expected, actual, at.toString());
      sql.update("record drift", "UPDATE counters SET value = value + 1 WHERE name = 'drift'");
      sql.prune("drift_events", KEEP_ROWS);
    });
  }

  /** How many drifts were ever recorded. */
  public synchronized long driftCount() throws AgentStateException {
    return sql.query("read drift count", "SELECT value FROM counters WHERE name = 'drift'",
        rows -> rows.next() ? rows.getLong(1) : 0L);
  }

  @Override
  public synchronized void close() throws AgentStateException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new AgentStateException("close agent state '" + file + "': " + e.getMessage(), e);
    }
  }

  /**
   * {@code inventory} with the old apps kept, the declared apps a failed apply touched added, and the apps removed
   * (DELETED or UNCHANGED) taken out. An app the old inventory holds under another unit than it declares now is
   * recorded under the new unit only once its move succeeded: until then (the move failed and went back, was only
   * reported, or was not reached) the old unit is the one that runs it and that a later pass must retire.
   */
  private static Inventory keepingApps(Inventory inventory, Inventory old, Inventory declared,
      List<ChangeResult> results) {
    var apps = new TreeMap<>(old.apps());
    declared.apps().forEach((name, app) -> {
      var before = old.apps().get(name);
      var moves = before != null && !Objects.equals(before.unit(), app.unit());
      if (moves ? applied(name, results, true) : inventory.apps().containsKey(name) || applied(name, results, false)) {
        apps.put(name, app);
      }
    });
    for (var result : results) {
      if (result.change() instanceof RemoveApp removed
          && (result.outcome() == Outcome.DELETED || result.outcome() == Outcome.UNCHANGED)) {
        apps.remove(removed.app());
      }
    }
    return inventory.withApps(apps);
  }

  /**
   * Whether a change to app {@code name} (other than its removal) was applied: not skipped; with {@code move}, the
   * change that moves it to another unit, and it succeeded.
   */
  private static boolean applied(String name, List<ChangeResult> results, boolean move) {
    return results.stream().anyMatch(r -> r.change() instanceof AppChange change && !(change instanceof RemoveApp)
        && change.app().equals(name) && r.outcome() != Outcome.SKIPPED
        && (!move || change.previousUnit() != null && r.outcome() != Outcome.FAILED));
  }

  private static Inventory withWrites(Inventory old, List<ChangeResult> results) {
    var files = new TreeSet<>(old.files());
    var keys = new TreeSet<>(old.sysctlKeys());
    var units = new TreeSet<>(old.unitFiles());
    for (var result : results) {
      switch (result.change()) {
        case WriteFile w when result.wrote() -> files.add(w.path());
        case WriteSealedFile w when result.wrote() -> files.add(w.path());
        case DeleteFile d when result.outcome() == Outcome.DELETED -> files.remove(d.path());
        case SetSysctl s when result.wrote() -> keys.add(s.key());
        case WriteUnitFile w when result.wrote() -> units.add(w.unit());
        case DeleteUnitFile d when result.outcome() == Outcome.DELETED -> units.remove(d.unit());
        default -> { }
      }
    }
    return new Inventory(files, keys, units);
  }
}
