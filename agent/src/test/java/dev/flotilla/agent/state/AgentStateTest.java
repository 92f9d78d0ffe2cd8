package dev.flotilla.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.plan.ApplyResult;
import dev.flotilla.agent.plan.ChangeResult;
import dev.flotilla.plan.DeleteFile;
import dev.flotilla.plan.DeleteUnitFile;
import dev.flotilla.plan.Inventory;
import dev.flotilla.agent.plan.Outcome;
import dev.flotilla.plan.PreviousUnit;
import dev.flotilla.plan.ReconfigureApp;
import dev.flotilla.plan.RemoveApp;
import dev.flotilla.plan.SetSysctl;
import dev.flotilla.plan.WriteFile;
import dev.flotilla.plan.WriteUnitFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStateTest {
  private static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-23T10:05:00Z");
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir
  Path dir;

  @Test
  void startsEmpty() throws Exception {
    try (var state = AgentState.open(dir.resolve("new"))) {
      assertThat(state.lastAcceptedVersion()).isZero();
      assertThat(state.inventory()).isEqualTo(Inventory.EMPTY);
      assertThat(state.history(10)).isEmpty();
      assertThat(state.driftCount()).isZero();
    }
  }

  @Test
  void keepsVersionInventoryHistoryAndDriftAcrossReopen() throws Exception {
    var owned = new Inventory(Set.of("/etc/motd"), Set.of("net.ipv4.ip_forward"));
    try (var state = AgentState.open(dir)) {
      state.accept(7, COMMIT, T1);
      state.recordApply(7, owned, ok(write("/etc/motd", Outcome.CREATED)), T1);
      state.recordDrift("file", "/etc/motd", "enforce", "sha256:aa", "sha256:bb", T2);
    }

    try (var state = AgentState.open(dir)) {
      assertThat(state.lastAcceptedVersion()).isEqualTo(7);
      assertThat(state.inventory()).isEqualTo(owned);
      assertThat(state.history(10)).containsExactly(new HistoryEntry(7, T1, true, 1, null));
      assertThat(state.driftCount()).isEqualTo(1);
    }
  }

  @Test
  void replacesInventoryWithDeclaredAfterSuccess() throws Exception {
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, new Inventory(Set.of("/etc/a", "/etc/b"), Set.of()), ok(), T1);

      state.recordApply(2, new Inventory(Set.of("/etc/b"), Set.of("net.ipv4.ip_forward")),
          ok(new ChangeResult(new DeleteFile("/etc/a"), Outcome.DELETED, null)), T2);

      assertThat(state.inventory()).isEqualTo(new Inventory(Set.of("/etc/b"), Set.of("net.ipv4.ip_forward")));
    }
  }

  @Test
  void keepsOldInventoryAndWhatWasWrittenAfterFailure() throws Exception {
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, new Inventory(Set.of("/etc/a", "/etc/gone"), Set.of()), ok(), T1);
      var failed = new ApplyResult(List.of(
          new ChangeResult(new DeleteFile("/etc/gone"), Outcome.DELETED, null),
          write("/etc/new", Outcome.CREATED),
          new ChangeResult(new SetSysctl("net.ipv4.ip_forward", "0", "1"), Outcome.UPDATED, null),
          ChangeResult.failed(new SetSysctl("net.ipv4.nope", null, "1"), "set sysctl 'net.ipv4.nope': boom"),
          write("/etc/never", Outcome.SKIPPED)));

      state.recordApply(2, new Inventory(Set.of("/etc/new", "/etc/never"), Set.of("net.ipv4.ip_forward")),
          failed, T2);

      assertThat(state.inventory())
          .isEqualTo(new Inventory(Set.of("/etc/a", "/etc/new"), Set.of("net.ipv4.ip_forward")));
      assertThat(state.history(1))
          .containsExactly(new HistoryEntry(2, T2, false, 5, "set sysctl 'net.ipv4.nope': boom"));
    }
  }

  @Test
  void tracksUnitFilesItWroteAndForgetsThoseItRemoved() throws Exception {
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, new Inventory(Set.of(), Set.of(), Set.of("a.service", "b.service")), ok(), T1);
      var failed = new ApplyResult(List.of(
          new ChangeResult(new DeleteUnitFile("a.service", false), Outcome.DELETED, null),
          new ChangeResult(new WriteUnitFile("c.service", "[Service]\n", true), Outcome.CREATED, null),
          ChangeResult.failed(new WriteUnitFile("d.service", "[Service]\n", true), "write unit file: boom")));

      state.recordApply(2, new Inventory(Set.of(), Set.of(), Set.of("b.service", "c.service", "d.service")), failed,
          T2);
    }

    try (var state = AgentState.open(dir)) {
      assertThat(state.inventory().unitFiles()).containsExactly("b.service", "c.service");
      assertThat(state.inventory().sysctlKeys()).isEmpty();
    }
  }

  @Test
  void keepsAnAppUntilItsRemovalSucceeded() throws Exception {
    var kiosk = new Inventory.App("flotilla-app-kiosk.service", true);
    var shop = new Inventory.App("shop.service", false);
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, new Inventory(Set.of(), Set.of(), Set.of(), Map.of("kiosk", kiosk, "shop", shop)), ok(),
          T1);

      state.recordApply(2, Inventory.EMPTY, ok(removed("shop", Outcome.DELETED)), T2);
      assertThat(state.inventory().apps()).as("kiosk's removal was not applied (reported, ignored, no bus)")
          .containsExactly(Map.entry("kiosk", kiosk));

      state.recordApply(3, Inventory.EMPTY, ok(removed("kiosk", Outcome.FAILED)), T2);
      assertThat(state.inventory().apps()).containsOnlyKeys("kiosk");

      state.recordApply(4, Inventory.EMPTY, ok(removed("kiosk", Outcome.UNCHANGED)), T2);
      assertThat(state.inventory().apps()).isEmpty();
    }
  }

  @Test
  void keepsAnAppUnderItsOldUnitUntilItsMoveToTheNewOneSucceeded() throws Exception {
    var old = new Inventory.App("flotilla-app-web.service", true);
    var moved = new Inventory.App("web.service", true);
    var declared = new Inventory(Set.of(), Set.of(), Set.of(), Map.of("web", moved));
    var spec = new dev.flotilla.model.AppSpec();
    spec.setName("web");
    spec.setUnit("web.service");
    var move = new ReconfigureApp(spec, "sha256:00", new PreviousUnit(old.unit(), true, true));
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, new Inventory(Set.of(), Set.of(), Set.of(), Map.of("web", old)), ok(), T1);

      state.recordApply(2, declared, ok(), T2);
      assertThat(state.inventory().apps()).as("the move was only reported").containsExactly(Map.entry("web", old));

      state.recordApply(2, declared, ok(new ChangeResult(move, Outcome.FAILED, "reconfigure app: boom")), T2);
      assertThat(state.inventory().apps()).as("the move went back").containsExactly(Map.entry("web", old));

      state.recordApply(2, declared, ok(new ChangeResult(move, Outcome.UPDATED, null)), T2);
      assertThat(state.inventory().apps()).containsExactly(Map.entry("web", moved));
    }
  }

  @Test
  void upgradesAVersionOneDatabaseKeepingItsInventory() throws Exception {
    execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    execute("INSERT INTO schema_version (version) VALUES (1)");
    execute("CREATE TABLE inventory (kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, name))");
    execute("INSERT INTO inventory (kind, name) VALUES ('file', '/etc/motd'), ('unit-file', 'a.service')");
    var app = new Inventory.App("flotilla-app-kiosk.service", true);

    try (var state = AgentState.open(dir)) {
      assertThat(state.inventory()).isEqualTo(new Inventory(Set.of("/etc/motd"), Set.of(), Set.of("a.service")));
      state.recordApply(1, new Inventory(Set.of(), Set.of(), Set.of(), Map.of("kiosk", app)), ok(), T1);
    }

    try (var state = AgentState.open(dir)) {
      assertThat(state.inventory().apps()).containsExactly(Map.entry("kiosk", app));
    }
    assertThat(rows("SELECT version, compatible_from FROM schema_version")).containsExactly("2 2");
  }

  @Test
  void recordsWhoCanUseAVersionTwoDatabaseThatDoesNotSay() throws Exception {
    try (var state = AgentState.open(dir)) {
      state.accept(3, COMMIT, T1);
    }
    execute("DROP TABLE schema_version"); // as agents of schema 2 wrote it before rollbacks were planned for
    execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    execute("INSERT INTO schema_version (version) VALUES (2)");

    try (var state = AgentState.open(dir)) {
      assertThat(state.lastAcceptedVersion()).isEqualTo(3);
    }
    assertThat(rows("SELECT version, compatible_from FROM schema_version")).containsExactly("2 2");
  }

  @Test
  void usesANewerAgentsDatabaseThatItCanUseAndLeavesItsVersion() throws Exception {
    AgentState.open(dir).close();
    execute("UPDATE schema_version SET version = 3, compatible_from = 2"); // and what a newer agent added:
    execute("CREATE TABLE timers (name TEXT PRIMARY KEY)");
    execute("ALTER TABLE inventory ADD COLUMN owner TEXT NOT NULL DEFAULT ''");
    execute("INSERT INTO inventory (kind, name) VALUES ('timer', 'backup.timer')");
    var owned = new Inventory(Set.of("/etc/motd"), Set.of("net.ipv4.ip_forward"), Set.of("a.service"),
        Map.of("kiosk", new Inventory.App("flotilla-app-kiosk.service", true)));
    var log = new ArrayList<String>();

    try (var state = AgentState.open(dir, log::add)) {
      state.accept(8, COMMIT, T1);
      state.recordApply(8, owned, ok(write("/etc/motd", Outcome.CREATED)), T1);
    }
    try (var state = AgentState.open(dir, log::add)) {
      assertThat(state.lastAcceptedVersion()).isEqualTo(8);
      assertThat(state.inventory()).isEqualTo(owned);
      assertThat(state.history(10)).containsExactly(new HistoryEntry(8, T1, true, 1, null));
    }

    assertThat(log).containsExactly(
        "agent state '" + dir.resolve("agent.db") + "': schema version 3 from a newer agent; this agent (schema 2) "
            + "can use it",
        "agent state '" + dir.resolve("agent.db") + "': schema version 3 from a newer agent; this agent (schema 2) "
            + "can use it");
    assertThat(rows("SELECT version, compatible_from FROM schema_version")).containsExactly("3 2");
    assertThat(rows("SELECT name FROM inventory WHERE kind = 'timer'")).containsExactly("backup.timer");
  }

  @Test
  void refusesANewerAgentsDatabaseThatOnlyNewerAgentsCanUseAndLeavesItUntouched() throws Exception {
    try (var state = AgentState.open(dir)) {
      state.accept(8, COMMIT, T1);
    }
    execute("UPDATE schema_version SET version = 3, compatible_from = 3");
    var before = Files.readAllBytes(dir.resolve("agent.db"));

    assertThatThrownBy(() -> AgentState.open(dir))
        .isInstanceOf(AgentStateException.class)
        .hasMessage("open agent state '" + dir.resolve("agent.db") + "': schema version 3 from a newer agent needs "
            + "an agent of schema 3 or newer, this one has schema 2; run the newer flotilla-agent again, or move the "
            + "database aside to start afresh: the agent then forgets the last accepted bundle version (replay "
            + "protection) and what it wrote, which it then never prunes");
    assertThat(dir.resolve("agent.db")).hasBinaryContent(before);
    assertThat(rows("SELECT version, compatible_from FROM schema_version")).containsExactly("3 3");
  }

  @Test
  void ignoresAndKeepsInventoryKindsItDoesNotKnow() throws Exception {
    var owned = new Inventory(Set.of("/etc/a"), Set.of("net.ipv4.ip_forward"));
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, owned, ok(), T1);
    }
    execute("INSERT INTO inventory (kind, name) VALUES ('timer', 'backup.timer')"); // a newer agent's kind

    try (var state = AgentState.open(dir)) {
      assertThat(state.inventory()).as("not a sysctl key, nor anything to prune").isEqualTo(owned);
      state.recordApply(2, new Inventory(Set.of("/etc/b"), Set.of()), ok(), T2);
      assertThat(state.inventory()).isEqualTo(new Inventory(Set.of("/etc/b"), Set.of()));
    }
    assertThat(rows("SELECT kind, name FROM inventory ORDER BY kind")).containsExactly("file /etc/b",
        "timer backup.timer");
  }

  @Test
  void claimsNothingForASkippedApply() throws Exception {
    var owned = new Inventory(Set.of("/etc/a"), Set.of());
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, owned, ok(), T1);

      state.recordApply(2, new Inventory(Set.of("/etc/b"), Set.of()), ok(write("/etc/b", Outcome.SKIPPED)), T2);

      assertThat(state.inventory()).isEqualTo(owned);
    }
  }

  @Test
  void recordsApplyInOneTransaction() throws Exception {
    var owned = new Inventory(Set.of("/etc/a"), Set.of());
    try (var state = AgentState.open(dir)) {
      state.recordApply(1, owned, ok(), T1);
      execute("CREATE TRIGGER refuse BEFORE INSERT ON apply_history BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");

      assertThatThrownBy(() -> state.recordApply(2, new Inventory(Set.of("/etc/b"), Set.of()), ok(), T2))
          .isInstanceOf(AgentStateException.class)
          .hasMessageStartingWith("record apply in agent state '" + dir.resolve("agent.db") + "': ")
          .hasMessageContaining("disk on fire");
      assertThat(state.inventory()).as("the inventory change was rolled back").isEqualTo(owned);
      assertThat(state.history(10)).hasSize(1);
    }
  }

  @Test
  void refusesToGoBackToALowerVersion() throws Exception {
    try (var state = AgentState.open(dir)) {
      state.accept(5, COMMIT, T1);
      state.accept(5, COMMIT, T2);

      assertThatThrownBy(() -> state.accept(4, COMMIT, T2))
          .hasMessage("accept bundle version 4: lower than the last accepted version 5");
      assertThat(state.lastAcceptedVersion()).isEqualTo(5);
    }
  }

  @Test
  void listsNewestHistoryFirst() throws Exception {
    try (var state = AgentState.open(dir)) {
      for (int version = 1; version <= 4; version++) {
        state.recordApply(version, Inventory.EMPTY, ok(), T1.plusSeconds(version));
      }

      assertThat(state.history(2)).extracting(HistoryEntry::bundleVersion).containsExactly(4L, 3L);
    }
  }

  @Test
  void usesWriteAheadLogAndRecordsSchemaVersion() throws Exception {
    try (var state = AgentState.open(dir); var db = connect()) {
      state.accept(1, COMMIT, T1);
      assertThat(db.createStatement().executeQuery("PRAGMA journal_mode").getString(1)).isEqualTo("wal");
    }
    assertThat(rows("SELECT version, compatible_from FROM schema_version")).containsExactly("2 2");
  }

  @Test
  void refusesANewerSchemaThatDoesNotSayWhoCanUseIt() throws Exception {
    AgentState.open(dir).close();
    execute("DROP TABLE schema_version");
    execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    execute("INSERT INTO schema_version (version) VALUES (99)");

    assertThatThrownBy(() -> AgentState.open(dir))
        .isInstanceOf(AgentStateException.class)
        .hasMessageStartingWith("open agent state '" + dir.resolve("agent.db") + "': schema version 99 from a newer "
            + "agent needs an agent of schema 99 or newer, this one has schema 2; run the newer flotilla-agent again");
  }

  @Test
  void explainsADatabaseItCannotOpen() throws Exception {
    Files.createDirectories(dir.resolve("agent.db"));

    assertThatThrownBy(() -> AgentState.open(dir))
        .isInstanceOf(AgentStateException.class)
        .hasMessageStartingWith("open agent state '" + dir.resolve("agent.db") + "': ");
  }

  private static ApplyResult ok(ChangeResult... results) {
    return new ApplyResult(List.of(results));
  }

  private static ChangeResult removed(String app, Outcome outcome) {
    return new ChangeResult(new RemoveApp(app, "x.service", true, true), outcome,
        outcome == Outcome.FAILED ? "remove app: boom" : null);
  }

  private static ChangeResult write(String path, Outcome outcome) {
    return new ChangeResult(new WriteFile(path, new byte[0], "sha256:00", "0644", null, null,
        WriteFile.Action.CREATE, "not present"), outcome, null);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"));
  }

  /** Each row of {@code select}, its columns joined by a space. */
  private List<String> rows(String select) throws SQLException {
    try (var db = connect(); var result = db.createStatement().executeQuery(select)) {
      var rows = new ArrayList<String>();
      while (result.next()) {
        var columns = new ArrayList<String>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          columns.add(result.getString(i));
        }
        rows.add(String.join(" ", columns));
      }
      return rows;
    }
  }

  private void execute(String sql) throws SQLException {
    try (var db = connect()) {
      db.createStatement().execute(sql);
    }
  }
}
