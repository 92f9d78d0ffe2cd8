package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits without a working tree and pushes with compare-and-swap, against real bare repositories. */
class FleetCommitsIT {
  static final PersonIdent WHO = new PersonIdent("flotilla-reconciler", "reconciler@flotilla.invalid");
  @TempDir Path dir;
  String origin;

  @BeforeEach
  void origin() throws Exception {
    var work = dir.resolve("seed");
    try (var git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      java.nio.file.Files.writeString(work.resolve("fleet.yaml"), "name: f\n");
      java.nio.file.Files.createDirectories(work.resolve("tenants/acme"));
      java.nio.file.Files.writeString(work.resolve("tenants/acme/tenant.yaml"), "name: acme\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("seed").setAuthor(WHO).setCommitter(WHO).setSign(false).call();
    }
    origin = dir.resolve("origin.git").toString();
    Git.cloneRepository().setURI(work.toString()).setDirectory(Path.of(origin).toFile()).setBare(true).call().close();
  }

  FleetRepo mirror(String name) throws Exception {
    var repo = FleetRepo.mirror(dir.resolve(name), origin, "main");
    repo.fetch();
    return repo;
  }

  static String read(Repository repository, String rev, String path) throws Exception {
    try (var walk = new RevWalk(repository)) {
      var tree = CommitTree.of(repository, walk.parseCommit(repository.resolve(rev)));
      return tree.paths().contains(path) ? new String(tree.read(path, 1 << 20), StandardCharsets.UTF_8) : null;
    }
  }

  @Test
  void commitsPutsAndDeletesWithoutAWorkingTree() throws Exception {
    try (var repo = mirror("m")) {
      var commits = new FleetCommits(repo.repository(), WHO);
      var tip = repo.repository().resolve("refs/remotes/origin/main");
      var id = commits.commit(tip, List.of(FileChange.put("tenants/acme/devices/k1.yaml", "kind: Device\n"),
          FileChange.delete("fleet.yaml")), "claim: enrol k1");
      var r = repo.repository();
      assertThat(read(r, id.name(), "tenants/acme/devices/k1.yaml")).isEqualTo("kind: Device\n");
      assertThat(read(r, id.name(), "tenants/acme/tenant.yaml")).isEqualTo("name: acme\n");
      assertThat(read(r, id.name(), "fleet.yaml")).isNull();
      try (var walk = new RevWalk(r)) {
        var commit = walk.parseCommit(id);
        assertThat(commit.getFullMessage()).isEqualTo("claim: enrol k1\n");
        assertThat(commit.getAuthorIdent().getName()).isEqualTo("flotilla-reconciler");
        assertThat(commit.getParent(0)).isEqualTo(tip);
      }
      assertThat(commits.commit(tip, List.of(FileChange.put("fleet.yaml", "name: f\n")), "same")).isEqualTo(tip);
    }
  }

  @Test
  void retriesFromTheNewTipWhenTheBranchMoved() throws Exception {
    try (var a = mirror("a"); var b = mirror("b")) {
      var pushedA = new FleetCommits(a.repository(), WHO).push(origin, "main",
          tip -> new FleetCommits.Proposal(List.of(FileChange.put("a.txt", "a\n")), "a"));
      assertThat(pushedA.created()).isTrue();
      var seen = new ArrayList<List<String>>();
      var pushedB = new FleetCommits(b.repository(), WHO).push(origin, "main", tip -> {
        seen.add(tip.paths());
        return new FleetCommits.Proposal(List.of(FileChange.put("b.txt", "b\n")), "b");
      });
      assertThat(pushedB.attempts()).isEqualTo(2);
      assertThat(seen.get(0)).doesNotContain("a.txt");
      assertThat(seen.get(1)).contains("a.txt");
      try (var o = Git.open(Path.of(origin).toFile())) {
        assertThat(read(o.getRepository(), "main", "a.txt")).isEqualTo("a\n");
        assertThat(read(o.getRepository(), "main", "b.txt")).isEqualTo("b\n");
        assertThat(o.getRepository().resolve("main").name()).isEqualTo(pushedB.commit());
      }
      assertThat(b.repository().resolve("refs/remotes/origin/main").name()).isEqualTo(pushedB.commit());
    }
  }

  @Test
  void proposingNothingAfterARecheckPushesNothing() throws Exception {
    try (var a = mirror("a"); var b = mirror("b")) {
      new FleetCommits(a.repository(), WHO).push(origin, "main",
          tip -> new FleetCommits.Proposal(List.of(FileChange.put("last-use.txt", "a\n")), "a"));
      var pushed = new FleetCommits(b.repository(), WHO).push(origin, "main",
          tip -> tip.paths().contains("last-use.txt") ? FleetCommits.Proposal.NOTHING
              : new FleetCommits.Proposal(List.of(FileChange.put("last-use.txt", "b\n")), "b"));
      assertThat(pushed.created()).isFalse();
      try (var o = Git.open(Path.of(origin).toFile())) {
        assertThat(read(o.getRepository(), "main", "last-use.txt")).isEqualTo("a\n");
      }
    }
  }

  @Test
  void createsABranchTheRemoteDoesNotHave() throws Exception {
    try (var a = mirror("a")) {
      var commits = new FleetCommits(a.repository(), WHO);
      commits.fetch(origin, "status");
      var pushed = commits.push(origin, "status", tip -> {
        assertThat(tip).isNull();
        return new FleetCommits.Proposal(List.of(FileChange.put("status/rollouts/acme/r.yaml", "wave: 1\n")), "s");
      });
      try (var o = Git.open(Path.of(origin).toFile())) {
        assertThat(o.getRepository().resolve("status").name()).isEqualTo(pushed.commit());
        assertThat(read(o.getRepository(), "status", "status/rollouts/acme/r.yaml")).isEqualTo("wave: 1\n");
      }
    }
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    var written = Collections.synchronizedList(new ArrayList<String>());
    var attempts = new AtomicInteger();
    var threads = new ArrayList<Thread>();
    for (int w = 0; w < 3; w++) {
      var name = "w" + w;
      var repo = mirror(name);
      threads.add(Thread.ofPlatform().start(() -> {
        try (repo) {
          var commits = new FleetCommits(repo.repository(), WHO);
          for (int i = 0; i < 5; i++) {
            var path = name + "/" + i + ".txt";
            var pushed = commits.push(origin, "main",
                tip -> new FleetCommits.Proposal(List.of(FileChange.put(path, path)), path));
            attempts.addAndGet(pushed.attempts());
            written.add(path);
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (var t : threads) {
      t.join();
    }
    assertThat(written).hasSize(15);
    try (var o = Git.open(Path.of(origin).toFile()); var walk = new RevWalk(o.getRepository())) {
      var tree = CommitTree.of(o.getRepository(), walk.parseCommit(o.getRepository().resolve("main")));
      assertThat(tree.paths()).containsAll(written);
    }
  }
}
