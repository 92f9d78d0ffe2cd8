package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla completion bash|zsh} prints a script bash accepts ({@code bash -n}) that knows the commands. */
class CompletionIT {
  @TempDir
  Path dir;

  @Test
  void bashScriptIsValidAndCompletesTheCommands() throws Exception {
    var run = Run.flotilla("completion", "bash");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("complete -F _complete_flotilla", "rollout", "describe", "--selector");
    var script = Files.writeString(dir.resolve("flotilla.bash"), run.out());
    var check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    var said = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as(said).isZero();
  }

  @Test
  void zshGetsTheSameScriptWhichLoadsBashcompinit() {
    var zsh = Run.flotilla("completion", "zsh");

    assertThat(zsh.out()).isEqualTo(Run.flotilla("completion", "bash").out()).contains("bashcompinit");
  }

  @Test
  void otherShellsAreAUsageError() {
    var run = Run.flotilla("completion", "fish");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("flotilla: print completion: no shell 'fish'; use bash or zsh\n");
  }
}
