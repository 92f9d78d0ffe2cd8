package dev.flotilla.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flotilla.git.FileChange;
import dev.flotilla.git.FleetCommits;
import dev.flotilla.git.FleetRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History on a real status branch of a real bare repository, indexed in real SQLite files. */
class GitHistoryIT {
  static final String BRANCH = "flotilla-status";
  static final PersonIdent WHO = new PersonIdent("test", "test@flotilla.invalid");
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  static final HistoryQuery ALL = new HistoryQuery(null, null, Set.of(), null, null, 100_000);
  @TempDir Path dir;
  String origin;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void origin() throws Exception {
    origin = dir.resolve("origin.git").toString();
    Git.init().setBare(true).setDirectory(Path.of(origin).toFile()).setInitialBranch("main").call().close();
  }

  @AfterEach
  void close() throws Exception {
    for (var c : open.reversed()) {
      c.close();
    }
  }

  FleetRepo mirror(String name) throws Exception {
    var repo = FleetRepo.mirror(dir.resolve(name), origin, "main");
    open.add(repo);
    return repo;
  }

  GitHistory history(FleetRepo mirror, String index, Clock clock) throws Exception {
    return GitHistory.open(mirror.repository(), origin, BRANCH, dir.resolve(index), clock,
        GitHistory.Settings.DEFAULTS);
  }

  static HistoryEvent event(Instant at, String tenant, String device, EventKind kind) {
    return new HistoryEvent(at, tenant, device, kind, null, JsonNodeFactory.instance.objectNode().put("n", 1));
  }

  int commits() throws Exception {
    try (var git = Git.open(Path.of(origin).toFile())) {
      var count = 0;
      for (var ignored : git.log().add(git.getRepository().resolve(BRANCH)).call()) {
        count++;
      }
      return count;
    }
  }

  String file(String path) throws Exception {
    try (var repo = Git.open(Path.of(origin).toFile()).getRepository(); var walk = new RevWalk(repo)) {
      var tree = dev.flotilla.git.CommitTree.of(repo, walk.parseCommit(repo.resolve(BRANCH)));
      return tree.paths().contains(path) ? new String(tree.read(path, 1 << 24), StandardCharsets.UTF_8) : null;
    }
  }

  @Test
  void batchesManyEventsIntoOneCommitPerFlushAndServesThemNewestFirst() throws Exception {
    var mirror = mirror("a");
    try (var history = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      for (int i = 0; i < 500; i++) {
        history.record(event(NOW.plusSeconds(i), i % 2 == 0 ? "acme" : "globex", "kiosk-" + (i % 50),
            EventKind.OFFLINE));
      }
      assertThat(history.query(HistoryQuery.ofDevice("kiosk-7", 3))).extracting(e -> e.at().getEpochSecond())
          .containsExactly(NOW.plusSeconds(457).getEpochSecond(), NOW.plusSeconds(407).getEpochSecond(),
              NOW.plusSeconds(357).getEpochSecond());
      assertThat(history.flush()).isEqualTo(500);
      history.record(event(NOW, null, null, EventKind.COMMIT_ACCEPTED));
      assertThat(history.flush()).isEqualTo(1);
    }
    assertThat(commits()).isEqualTo(2);
    assertThat(file("history/acme/2026-12-07.jsonl").lines()).hasSize(250);
    assertThat(file("history/_fleet/2026-12-07.jsonl")).contains("\"kind\":\"commit-accepted\"");
  }

  @Test
  void twoWritersRacingOnOneBranchLoseAndDuplicateNothing() throws Exception {
    var clock = Clock.fixed(NOW, ZoneOffset.UTC);
    var a = history(mirror("a"), "a.db", clock);
    var b = history(mirror("b"), "b.db", clock);
    open.add(a);
    open.add(b);
    try (var pool = Executors.newFixedThreadPool(2)) {
      var futures = new ArrayList<Future<?>>();
      for (var writer : List.of(a, b)) {
        futures.add(pool.submit(() -> {
          for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 20; i++) {
              writer.record(event(NOW.plusSeconds(round), "acme", (writer == a ? "a-" : "b-") + round + "-" + i,
                  EventKind.ONLINE));
            }
            writer.flush();
          }
          return null;
        }));
      }
      for (var f : futures) {
        f.get();
      }
    }
    var lines = file("history/acme/2026-12-07.jsonl").lines().toList();
    assertThat(lines).hasSize(400);
    assertThat(lines.stream().map(l -> l.replaceAll(".*\"device\":\"([^\"]+)\".*", "$1")).distinct()).hasSize(400);
    assertThat(HistoryLines.parse("f", String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).tampered())
        .isEmpty();
    a.refresh();
    assertThat(a.query(ALL)).hasSize(400);
  }

  @Test
  void anIndexRebuiltFromTheBranchAnswersAsTheLiveOneDid() throws Exception {
    var mirror = mirror("a");
    var queries = List.of(ALL, HistoryQuery.ofDevice("kiosk-3", 100), HistoryQuery.ofTenant("globex", 7),
        new HistoryQuery("acme", null, Set.of(EventKind.ROLLOUT, EventKind.ONLINE), NOW.plusSeconds(100),
            NOW.plusSeconds(400), 1000));
    var live = new ArrayList<List<HistoryEvent>>();
    try (var history = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      var kinds = EventKind.values();
      for (int i = 0; i < 600; i++) {
        history.record(event(NOW.plusSeconds(i), i % 3 == 0 ? "globex" : "acme", "kiosk-" + (i % 9),
            kinds[i % kinds.length]));
      }
      history.flush();
      queries.forEach(q -> live.add(history.query(q)));
    }
    Files.delete(dir.resolve("a.db"));
    try (var rebuilt = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      assertThat(queries.stream().map(rebuilt::query).toList()).isEqualTo(live);
      assertThat(live.getFirst()).hasSize(600);
    }
  }

  @Test
  void aHandEditedHistoryFileIsReportedWithItsLineAndTheEditIsNotIndexed() throws Exception {
    var mirror = mirror("a");
    try (var history = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      for (int i = 0; i < 5; i++) {
        history.record(event(NOW.plusSeconds(i), "acme", "kiosk-" + i, EventKind.OFFLINE));
      }
      history.flush();
    }
    var path = "history/acme/2026-12-07.jsonl";
    var edited = file(path).replace("\"device\":\"kiosk-2\"", "\"device\":\"kiosk-9\"");
    new FleetCommits(mirror("editor").repository(), WHO).push(origin, BRANCH,
        tip -> new FleetCommits.Proposal(List.of(FileChange.put(path, edited)), "tidy history"));

    try (var live = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      assertThat(live.tampered()).extracting(HistoryLines.Tampered::path, HistoryLines.Tampered::line)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(path, 3));
      assertThat(live.query(HistoryQuery.ofDevice("kiosk-2", 10))).hasSize(1);
      assertThat(live.query(HistoryQuery.ofDevice("kiosk-9", 10))).isEmpty();
    }
    Files.delete(dir.resolve("a.db"));
    try (var rebuilt = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      assertThat(rebuilt.tampered()).extracting(HistoryLines.Tampered::line).containsExactly(3);
      assertThat(rebuilt.query(ALL)).hasSize(4).extracting(HistoryEvent::device).doesNotContain("kiosk-9");
    }
  }

  @Test
  void anEventRemovedAndTheChainRecomputedIsReportedByTheIndexThatReadItBefore() throws Exception {
    var mirror = mirror("a");
    var path = "history/acme/2026-12-07.jsonl";
    try (var history = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      for (int i = 0; i < 4; i++) {
        history.record(event(NOW.plusSeconds(i), "acme", "kiosk-" + i, EventKind.OFFLINE));
      }
      history.flush();
    }
    var original = HistoryLines.parse(path, file(path).getBytes(StandardCharsets.UTF_8)).entries();
    var forged = new StringBuilder();
    var head = "";
    for (var entry : original) {
      if (!entry.event().device().equals("kiosk-1")) {
        var line = HistoryLines.line(head, entry.id(), entry.event());
        head = HistoryLines.head(line.getBytes(StandardCharsets.UTF_8));
        forged.append(line).append('\n');
      }
    }
    new FleetCommits(mirror("editor").repository(), WHO).push(origin, BRANCH,
        tip -> new FleetCommits.Proposal(List.of(FileChange.put(path, forged.toString())), "forget kiosk-1"));

    try (var live = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      assertThat(live.tampered()).extracting(HistoryLines.Tampered::line).containsExactly(2);
      assertThat(live.tampered().getFirst().toString()).startsWith("history file '" + path + "' line 2: differs");
    }
  }

  @Test
  void retentionRemovesDayFilesOlderThanItKeepsInACommit() throws Exception {
    var mirror = mirror("a");
    var old = NOW.minus(java.time.Duration.ofDays(401));
    try (var history = history(mirror, "a.db", Clock.fixed(old, ZoneOffset.UTC))) {
      history.record(event(old, "acme", "kiosk-1", EventKind.OFFLINE));
      history.flush();
    }
    assertThat(file("history/acme/2025-11-01.jsonl")).isNotNull();
    try (var history = history(mirror, "a.db", Clock.fixed(NOW, ZoneOffset.UTC))) {
      assertThat(history.query(ALL)).hasSize(1);
      history.record(event(NOW, "acme", "kiosk-1", EventKind.ONLINE));
      history.flush();
      assertThat(history.query(ALL)).extracting(HistoryEvent::kind).containsExactly(EventKind.ONLINE);
    }
    assertThat(file("history/acme/2025-11-01.jsonl")).isNull();
    assertThat(file("history/acme/2026-12-07.jsonl")).isNotNull();
  }
}
