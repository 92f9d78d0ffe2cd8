package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.output.Output;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla completion bash|zsh}: a shell completion script for every command and option, made by picocli's
 * {@link AutoComplete}. Picocli 4.7 generates one script, for bash; it runs in zsh too, where it loads
 * {@code bashcompinit} itself, so {@code zsh} prints the same script.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a shell completion script.",
        "bash: source <(flotilla completion bash), or save it in /etc/bash_completion.d/flotilla.",
        "zsh: source <(flotilla completion zsh) in ~/.zshrc (the same script, run through bashcompinit)."})
final class CompletionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UserException(Flotilla.USAGE, "print completion: no shell '" + shell + "'; use bash or zsh");
    }
    Output.of(spec).text(AutoComplete.bash("flotilla", spec.root().commandLine()));
    return Flotilla.OK;
  }

  static final class Shells extends java.util.ArrayList<String> {
    Shells() {
      super(java.util.List.of("bash", "zsh"));
    }
  }
}
