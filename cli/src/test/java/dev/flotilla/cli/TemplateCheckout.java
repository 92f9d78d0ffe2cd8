package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;

/** A Git checkout of the template fleet, committed on main, as an operator's clone for the editing commands. */
record TemplateCheckout(Path repo, Git git) {

  static TemplateCheckout commit(Path repo) throws Exception {
    var template = Run.HOME.resolve("fleet-repo-template");
    try (Stream<Path> walk = Files.walk(template)) {
      for (var source : walk.filter(Files::isRegularFile).toList()) {
        var relative = template.relativize(source).toString();
        if (!relative.startsWith(".flotilla")) {
          Files.createDirectories(repo.resolve(relative).getParent());
          Files.copy(source, repo.resolve(relative));
        }
      }
    }
    var git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
    git.add().addFilepattern(".").call();
    git.commit().setMessage("Fleet").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
    return new TemplateCheckout(repo, git);
  }

  String head() throws Exception {
    return git.getRepository().resolve("HEAD").name();
  }

  /** HEAD is still {@code head}, and the working tree has no new or changed file. */
  void assertUntouchedSince(String head) throws Exception {
    assertThat(head()).as("HEAD").isEqualTo(head);
    var status = git.status().call();
    assertThat(status.getUntracked()).as("untracked files").isEmpty();
    assertThat(status.isClean()).as("clean working tree").isTrue();
  }
}
