package dev.flotilla.cli;

import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.output.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla artifact sign}: every artifact file signed anew. */
@Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign every artifact file of the repo anew"
    + " with the artifact-signer key, as after 'flotilla keys rotate --role artifact-signer'.")
final class ArtifactSignCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The keys 'flotilla keys init' wrote.")
  Path keys;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Override
  public Integer call() throws IOException {
    var files = ArtifactFile.signAll(repo, ArtifactCommand.signer(keys));
    Output.of(spec).line("signed " + files.size() + " artifact file(s) under "
        + repo.resolve("artifacts") + "; commit them");
    return Flotilla.OK;
  }
}
