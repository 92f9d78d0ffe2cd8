package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing file, a file where a directory should be, or a refused rotation: one line saying which file and what
 * is wrong, exit 1, never a Java exception's name or the --verbose hint.
 */
class FileErrorsTest {
  @TempDir
  Path work;
  Path repo;

  @BeforeEach
  void fleet() throws Exception {
    repo = Files.createDirectories(work.resolve("fleet"));
    Files.writeString(repo.resolve("fleet.yaml"), "apiVersion: flotilla.dev/v1\nkind: Fleet\nmetadata:\n  name: f1\n"
        + "spec:\n  trustRoot: trust/root.json\n");
    var init = Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", work.resolve("keys").toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
  }

  @Test
  void rotatingWithAKeysDirectoryThatIsNotThereNamesTheMissingKey() {
    var missing = work.resolve("nonexistent");

    var run = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--keys", missing.toString());

    assertThat(run).isEqualTo(new Run(1, "", "flotilla: '" + missing.resolve("root.pub.pem")
        + "': no such file or directory\n"));
  }

  @Test
  void keysInitIntoARegularFileSaysItExists() throws Exception {
    var file = Files.writeString(work.resolve("a-file"), "x");
    Files.delete(repo.resolve("trust/root.json"));

    var run = Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("flotilla: '" + file + "': it exists\n");
  }

  @Test
  void rotatingWithAnotherFleetsKeysIsOneLineWithTheFix() {
    var other = work.resolve("other-keys");
    Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", other.toString(), "--force");
    var mine = work.resolve("mine");
    Run.flotilla("keys", "init", "--repo", repo.toString(), "--keys", mine.toString(), "--force");

    var run = Run.flotilla("keys", "rotate", "--repo", repo.toString(), "--keys", other.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("flotilla: rotate keys: root key ")
        .endsWith("); pass the --keys directory that made that trust root\n").doesNotContain("Exception");
  }
}
