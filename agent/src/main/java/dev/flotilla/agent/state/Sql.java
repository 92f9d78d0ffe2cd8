package dev.flotilla.agent.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;

/** The few JDBC moves {@link AgentState} makes, each turning an {@link SQLException} into a clear message. */
final class Sql {
  private static final String[] SCHEMA = {
      "CREATE TABLE IF NOT EXISTS accepted (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, "
          + "source_commit TEXT, at TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS inventory (kind TEXT NOT NULL, name TEXT NOT NULL, unit TEXT, "
          + "generated_unit INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, name))",
      "CREATE TABLE IF NOT EXISTS apply_history (id INTEGER PRIMARY KEY AUTOINCREMENT, "
          + "bundle_version INTEGER NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL, changes INTEGER NOT NULL, "
          + "error TEXT)",
      "CREATE TABLE IF NOT EXISTS drift_events (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, "
          + "name TEXT NOT NULL, mode TEXT, expected TEXT, actual TEXT, at TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
      "INSERT OR IGNORE INTO counters (name, value) VALUES ('drift', 0)",
  };

  private final Connection connection;
  private final Path file;

  Sql(Connection connection, Path file) {
    this.connection = connection;
    this.file = file;
  }

  /** Version 2 added the columns of an app's row to the inventory (version 1 databases are upgraded). */
  private static final String[] TO_VERSION_2 = {
      "ALTER TABLE inventory ADD COLUMN unit TEXT",
      "ALTER TABLE inventory ADD COLUMN generated_unit INTEGER NOT NULL DEFAULT 0",
  };

  /** The one row saying which schema the database has; older agents read {@code max(version)} from it. */
  private static final String[] VERSION_TABLE = {
      "DROP TABLE IF EXISTS schema_version",
      "CREATE TABLE schema_version (version INTEGER NOT NULL, compatible_from INTEGER NOT NULL)",
  };

  /** The schema the database records; version 0 when it has none. Reads only. */
  SchemaVersion schema() throws AgentStateException {
    var columns = query("read schema version", "SELECT name FROM pragma_table_info('schema_version')", rows -> {
      var names = new HashSet<String>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    });
    if (columns.isEmpty()) {
      return new SchemaVersion(0, 0);
    }
    var compatibleFrom = columns.contains("compatible_from") ? "coalesce(compatible_from, 0)" : "0";
    return query("read schema version", "SELECT version, " + compatibleFrom + " FROM schema_version "
        + "ORDER BY version DESC LIMIT 1", rows -> rows.next() ? new SchemaVersion(rows.getLong(1), rows.getLong(2))
        : new SchemaVersion(0, 0));
  }

  /**
   * Creates the schema, or upgrades {@code found} (not newer than this agent's) to {@link SchemaVersion#CURRENT}, in
   * one transaction; does nothing when it is current already.
   */
  void migrate(SchemaVersion found) throws AgentStateException {
    if (found.equals(SchemaVersion.CURRENT)) {
      return;
    }
    transaction("create schema", () -> {
      execute(SCHEMA);
      if (found.version() == 1) {
        execute(TO_VERSION_2);
      }
      execute(VERSION_TABLE);
      update("create schema", "INSERT INTO schema_version (version, compatible_from) VALUES (?, ?)",
          SchemaVersion.CURRENT.version(), SchemaVersion.CURRENT.compatibleFrom());
    });
  }

  private void execute(String... statements) throws SQLException {
    try (var statement = connection.createStatement()) {
      for (var sql : statements) {
        statement.execute(sql);
      }
    }
  }

  <T> T query(String action, String select, Rows<T> rows, Object... parameters) throws AgentStateException {
    try (var statement = connection.prepareStatement(select)) {
      bind(statement, parameters);
      try (var result = statement.executeQuery()) {
        return rows.read(result);
      }
    } catch (SQLException e) {
      throw failure(action, e);
    }
  }

  void update(String action, String sql, Object... parameters) throws AgentStateException {
    try (var statement = connection.prepareStatement(sql)) {
      bind(statement, parameters);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw failure(action, e);
    }
  }

  /** Keeps the newest {@code keep} rows of {@code table} (a constant, never input). */
  void prune(String table, int keep) throws AgentStateException {
    update("prune " + table, "DELETE FROM " + table + " WHERE id <= (SELECT max(id) FROM " + table + ") - ?", keep);
  }

  /** Runs {@code work} in one transaction: all of it is committed, or none of it. */
  void transaction(String action, Work work) throws AgentStateException {
    try {
      connection.setAutoCommit(false);
      try {
        work.run();
        connection.commit();
      } catch (SQLException | AgentStateException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(action, e);
    }
  }

  private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
  }

  private AgentStateException failure(String action, SQLException e) {
    return new AgentStateException(action + " in agent state '" + file + "': " + e.getMessage(), e);
  }

  @FunctionalInterface
  interface Rows<T> {
    T read(ResultSet rows) throws SQLException;
  }

  @FunctionalInterface
  interface Work {
    void run() throws SQLException, AgentStateException;
  }
}
