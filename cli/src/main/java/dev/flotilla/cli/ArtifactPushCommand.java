package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.cli.artifact.RegistryOptions;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.digest.Digest;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.model.Artifact;
import dev.flotilla.oci.Descriptor;
import dev.flotilla.oci.Manifest;
import dev.flotilla.oci.MediaTypes;
import dev.flotilla.oci.OciReference;
import dev.flotilla.oci.RegistryClient;
import dev.flotilla.output.Output;
import dev.flotilla.publish.ArtifactStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla artifact push NAME VERSION --to oci://registry/repository}: stores a version 'artifact add' put
 * in the content store in an OCI registry, as an OCI artifact (its bytes and its SBOM as layers; the signature stays
 * in the artifact file), and adds the {@code oci://…@sha256:<manifest>} URL to the artifact file so devices can
 * pull it from there.
 */
// No mixinStandardHelpOptions: its --version would collide with the program's own, as for 'artifact add'.
@Command(name = "push", description = "Push artifact NAME version VERSION (bytes and SBOM from --store) to an OCI"
    + " registry and add its oci:// URL to artifacts/NAME/VERSION.yaml. Exit 0 pushed, 1 failed.")
final class ArtifactPushCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "VERSION")
  String version;

  @Option(names = "--to", required = true, paramLabel = "oci://REGISTRY/REPOSITORY", description = "Where to push.")
  String to;

  @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store 'artifact add' filled.")
  Path store;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Mixin
  RegistryOptions registry;

  @Override
  public Integer call() throws IOException {
    var action = "push artifact '" + name + "' version '" + version + "'";
    OciReference.Repository target;
    try {
      target = OciReference.Repository.parse(to);
    } catch (IllegalArgumentException e) {
      throw new UserException(Flotilla.USAGE, action + ": --to: " + e.getMessage());
    }
    var file = ArtifactFile.path(repo, name, version);
    if (!Files.isRegularFile(file)) {
      throw new UserException(Flotilla.FAILURE, action + ": no " + repo.relativize(file) + "; add it"
          + " first with 'flotilla artifact add'");
    }
    var artifact = ArtifactFile.read(file);
    var content = blob(action, MediaTypes.CONTENT, artifact.getSpec().getDigest());
    var sbom = blob(action, MediaTypes.SBOM, artifact.getSpec().getSbom().getDigest());
    var client = new RegistryClient(registry.access(target.registry()), Duration.ofMinutes(10));
    OciReference pushed;
    try {
      for (var layer : new Blob[] {content, sbom}) {
        client.pushBlob(target.name(), layer.descriptor(), () -> Files.newInputStream(layer.path()));
      }
      pushed = client.pushManifest(target.name(), new Manifest(MediaTypes.ARTIFACT,
          List.of(content.descriptor(), sbom.descriptor()), Map.of(
              "org.opencontainers.image.title", name, "org.opencontainers.image.version", version)));
    } catch (IOException e) {
      throw new UserException(Flotilla.FAILURE, action + ": " + e.getMessage());
    }
    addUrl(artifact, file, pushed);
    Output.of(spec).line("pushed " + name + " " + version + " to " + pushed).line("added its URL to "
        + repo.relativize(file) + "; commit it, and devices may pull from the registry");
    return Flotilla.OK;
  }

  private record Blob(Descriptor descriptor, Path path) {}

  private Blob blob(String action, String mediaType, String digest) throws IOException {
    var parsed = Digest.parse(digest);
    var path = new ArtifactStore(store).find(parsed.hex()).orElseThrow(() -> new UserException(
        Flotilla.FAILURE, action + ": " + digest + " is not in store '" + store + "'; pass the --store that"
            + " 'artifact add' copied it into"));
    if (!Digest.sha256(path).equals(parsed)) {
      throw new UserException(Flotilla.FAILURE, action + ": '" + path + "' no longer has digest "
          + digest + "; the store is damaged");
    }
    return new Blob(new Descriptor(mediaType, parsed, Files.size(path)), path);
  }

  /** Adds the pushed URL (once) to the artifact file, checked as the whole fleet first. */
  private void addUrl(Artifact artifact, Path file, OciReference pushed) throws IOException {
    var urls = new ArrayList<>(artifact.getSpec().getUrls());
    var url = URI.create(pushed.toString());
    if (urls.contains(url)) {
      return;
    }
    urls.add(url);
    artifact.getSpec().setUrls(urls);
    new FleetEdit("push artifact '" + name + "'", Map.of(repo.relativize(file).toString(),
        ArtifactFile.render(artifact))).refuseNewErrors(new DirectoryTree(repo));
    ArtifactFile.write(file, artifact);
  }
}
