package dev.flotilla.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.git.FileChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits in an operator's real checkout: on the current branch, or on a new branch for a pull request. */
class CheckoutCommitsIT {
  static final PersonIdent WHO = new PersonIdent("ops", "ops@example.com");
  @TempDir Path work;
  Git git;

  @BeforeEach
  void checkout() throws Exception {
    git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
    Files.writeString(work.resolve("device.yaml"), "spec:\n  channel: dev\n");
    Files.writeString(work.resolve("other.yaml"), "a: 1\n");
    git.add().addFilepattern(".").call();
    git.commit().setMessage("seed").setAuthor(WHO).setCommitter(WHO).setSign(false).call();
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    git.close();
  }

  @Test
  void commitsOnTheCurrentBranchAndLeavesItClean() throws Exception {
    var commits = new CheckoutCommits(git.getRepository(), WHO);
    var id = commits.commit(List.of(FileChange.put("device.yaml", "spec:\n  channel: dev\n  cordoned: true\n"),
        FileChange.put("new/dir.yaml", "b: 2\n"), FileChange.delete("other.yaml")), "device k1: cordon", null);
    assertThat(git.getRepository().resolve("main").name()).isEqualTo(id);
    assertThat(Files.readString(work.resolve("device.yaml"))).contains("cordoned: true");
    assertThat(work.resolve("other.yaml")).doesNotExist();
    assertThat(git.status().call().isClean()).isTrue();
    assertThat(git.log().setMaxCount(1).call().iterator().next().getFullMessage()).isEqualTo("device k1: cordon\n");
  }

  @Test
  void commitsOnANewBranchLeavingTheCheckoutAlone() throws Exception {
    Files.writeString(work.resolve("other.yaml"), "a: local edit\n");
    var head = git.getRepository().resolve("main");
    var id = new CheckoutCommits(git.getRepository(), WHO)
        .commit(List.of(FileChange.put("device.yaml", "spec:\n  channel: prod\n")), "device k1: prod", "k1-prod");
    assertThat(git.getRepository().resolve("main")).isEqualTo(head);
    assertThat(git.getRepository().resolve("k1-prod").name()).isEqualTo(id);
    assertThat(git.getRepository().getBranch()).isEqualTo("main");
    assertThat(Files.readString(work.resolve("device.yaml"))).isEqualTo("spec:\n  channel: dev\n");
    assertThat(Files.readString(work.resolve("other.yaml"))).isEqualTo("a: local edit\n");
  }

  @Test
  void refusesToOverwriteUncommittedChanges() throws Exception {
    Files.writeString(work.resolve("device.yaml"), "spec:\n  channel: canary\n");
    assertThatThrownBy(() -> new CheckoutCommits(git.getRepository(), WHO)
        .commit(List.of(FileChange.put("device.yaml", "x: 1\n")), "m", null))
        .hasMessage("edit 'device.yaml': it has uncommitted changes; commit or stash them, or pass --branch NAME");
    assertThat(Files.readString(work.resolve("device.yaml"))).isEqualTo("spec:\n  channel: canary\n");
  }

  @Test
  void refusesAnExistingBranch() throws Exception {
    git.branchCreate().setName("taken").call();
    assertThatThrownBy(() -> new CheckoutCommits(git.getRepository(), WHO)
        .commit(List.of(FileChange.put("device.yaml", "x: 1\n")), "m", "taken"))
        .hasMessage("create branch 'taken': it exists; pick another name");
  }

  @Test
  void refusesADetachedHead() throws Exception {
    git.checkout().setName(git.getRepository().resolve("HEAD").name()).call();
    assertThatThrownBy(() -> new CheckoutCommits(git.getRepository(), WHO)
        .commit(List.of(FileChange.put("device.yaml", "x: 1\n")), "m", null))
        .hasMessage("commit: HEAD is detached; check out a branch, or pass --branch NAME");
  }
}
