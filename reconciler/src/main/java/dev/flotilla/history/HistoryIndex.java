package dev.flotilla.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local SQLite index of the history files: the events by id, and per file the blob, line count and last chain
 * value it was read at. Derived only from the status branch (and events recorded but not yet committed), so deleting
 * the file loses nothing: {@link GitHistory} rebuilds it. Thread-safe (one connection, synchronised).
 */
final class HistoryIndex implements AutoCloseable {
  /** What the index last read of a history file. */
  record FileState(String blob, int lines, String head) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SCHEMA = {
      "CREATE TABLE IF NOT EXISTS events(id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, at TEXT NOT NULL, tenant TEXT,"
          + " device TEXT, kind TEXT NOT NULL, commit_id TEXT, detail TEXT NOT NULL, file TEXT, line INTEGER, chain TEXT)",
      "CREATE INDEX IF NOT EXISTS events_device ON events(device, at_ms DESC)",
      "CREATE INDEX IF NOT EXISTS events_tenant ON events(tenant, at_ms DESC)",
      "CREATE INDEX IF NOT EXISTS events_at ON events(at_ms DESC)",
      "CREATE INDEX IF NOT EXISTS events_file ON events(file)",
      "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, blob TEXT NOT NULL, lines INTEGER NOT NULL,"
          + " head TEXT NOT NULL)"};
  private final Connection connection;
  private final boolean created;

  private HistoryIndex(Connection connection, boolean created) {
    this.connection = connection;
    this.created = created;
  }

  /** Opens (or creates) the index at {@code file}. */
  static HistoryIndex open(Path file) throws IOException {
    var created = !Files.exists(file);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      var connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (var statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=NORMAL");
        for (var sql : SCHEMA) {
          statement.execute(sql);
        }
      }
      connection.setAutoCommit(false);
      connection.commit();
      return new HistoryIndex(connection, created);
    } catch (SQLException e) {
      throw new IOException("open history index '" + file + "': " + e.getMessage()
          + "; delete it to rebuild it from the status branch", e);
    }
  }

  /** Whether {@link #open} made a new, empty index. */
  boolean created() {
    return created;
  }

  /** Adds events not yet in the index, and sets the file and line of those already there. */
  synchronized void put(String file, List<HistoryLines.Entry> entries) throws IOException {
    var sql = "INSERT INTO events(id, at_ms, at, tenant, device, kind, commit_id, detail, file, line, chain)"
        + " VALUES(?,?,?,?,?,?,?,?,?,?,?)"
        + " ON CONFLICT(id) DO UPDATE SET file=excluded.file, line=excluded.line, chain=excluded.chain";
    try (var insert = connection.prepareStatement(sql)) {
      for (var entry : entries) {
        var event = entry.event();
        insert.setString(1, entry.id());
        insert.setLong(2, event.at().toEpochMilli());
        insert.setString(3, event.at().toString());
        insert.setString(4, event.tenant());
        insert.setString(5, event.device());
        insert.setString(6, event.kind().wireName());
        insert.setString(7, event.commit());
        insert.setString(8, event.detail().toString());
        insert.setString(9, file);
        if (entry.line() > 0) {
          insert.setInt(10, entry.line());
        } else {
          insert.setNull(10, java.sql.Types.INTEGER);
        }
        insert.setString(11, entry.chain().isEmpty() ? null : entry.chain());
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      throw failed("write history index", e);
    }
  }

  /** The file states the index holds, by path. */
  synchronized Map<String, FileState> files() throws IOException {
    var files = new HashMap<String, FileState>();
    try (var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT path, blob, lines, head FROM files")) {
      while (rows.next()) {
        files.put(rows.getString(1), new FileState(rows.getString(2), rows.getInt(3), rows.getString(4)));
      }
      return files;
    } catch (SQLException e) {
      throw failed("read history index", e);
    }
  }

  /** The chain values the index read of {@code file}, by line (from 1; null where it has none). */
  synchronized Map<Integer, String> chains(String file) throws IOException {
    var chains = new HashMap<Integer, String>();
    try (var select = connection.prepareStatement("SELECT line, chain FROM events WHERE file = ? AND line > 0")) {
      select.setString(1, file);
      try (var rows = select.executeQuery()) {
        while (rows.next()) {
          chains.put(rows.getInt(1), rows.getString(2));
        }
      }
      return chains;
    } catch (SQLException e) {
      throw failed("read history index", e);
    }
  }

  /** Records that {@code path} was read at {@code state}. */
  synchronized void file(String path, FileState state) throws IOException {
    try (var upsert = connection.prepareStatement("INSERT OR REPLACE INTO files(path, blob, lines, head)"
        + " VALUES(?,?,?,?)")) {
      upsert.setString(1, path);
      upsert.setString(2, state.blob());
      upsert.setInt(3, state.lines());
      upsert.setString(4, state.head());
      upsert.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      throw failed("write history index", e);
    }
  }

  /** Forgets {@code path} and its events (the file left the branch: retention). */
  synchronized void remove(String path) throws IOException {
    try (var events = connection.prepareStatement("DELETE FROM events WHERE file = ?");
        var files = connection.prepareStatement("DELETE FROM files WHERE path = ?")) {
      events.setString(1, path);
      events.executeUpdate();
      files.setString(1, path);
      files.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      throw failed("write history index", e);
    }
  }

  /** The events {@code query} selects, newest first. */
  synchronized List<HistoryEvent> query(HistoryQuery query) throws IOException {
    var where = new ArrayList<String>();
    var values = new ArrayList<Object>();
    condition(where, values, "tenant = ?", query.tenant());
    condition(where, values, "device = ?", query.device());
    condition(where, values, "at_ms >= ?", query.since() == null ? null : query.since().toEpochMilli());
    condition(where, values, "at_ms < ?", query.until() == null ? null : query.until().toEpochMilli());
    if (!query.kinds().isEmpty()) {
      where.add("kind IN (" + String.join(",", query.kinds().stream().map(k -> "?").toList()) + ")");
      query.kinds().forEach(k -> values.add(k.wireName()));
    }
    var sql = "SELECT at, tenant, device, kind, commit_id, detail FROM events"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY at_ms DESC, rowid DESC LIMIT ?";
    values.add(query.limit());
    try (var select = connection.prepareStatement(sql)) {
      bind(select, values);
      try (var rows = select.executeQuery()) {
        var events = new ArrayList<HistoryEvent>();
        while (rows.next()) {
          events.add(event(rows));
        }
        return events;
      }
    } catch (SQLException e) {
      throw failed("query history index", e);
    }
  }

  private static void condition(List<String> where, List<Object> values, String sql, Object value) {
    if (value != null) {
      where.add(sql);
      values.add(value);
    }
  }

  private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      statement.setObject(i + 1, values.get(i));
    }
  }

  private static HistoryEvent event(ResultSet rows) throws SQLException {
    try {
      return new HistoryEvent(Instant.parse(rows.getString(1)), rows.getString(2), rows.getString(3),
          EventKind.fromWireName(rows.getString(4)), rows.getString(5), (ObjectNode) JSON.readTree(rows.getString(6)));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new SQLException("detail of an event: " + e.getOriginalMessage(), e);
    }
  }

  private static IOException failed(String action, SQLException e) {
    return new IOException(action + ": " + e.getMessage() + "; delete the index to rebuild it from the status branch",
        e);
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failed("close history index", e);
    }
  }
}
