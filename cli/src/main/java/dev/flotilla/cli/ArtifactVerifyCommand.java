package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.artifact.ArtifactVerifier;
import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.cli.keys.KeyRing;
import dev.flotilla.digest.Digest;
import dev.flotilla.publish.ArtifactStore;
import dev.flotilla.trust.RootVerifier;
import dev.flotilla.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla artifact verify NAME VERSION}: the artifact file's signature against the repo's trust root (itself
 * checked: signed by its root keys, unexpired), then the bytes of {@code --file} (or the store's blob) against the
 * signed digest and size, and the store's SBOM against the SBOM digest. Exit 0 when all hold, 1 when the signature
 * or trust root fails, 3 when bytes differ from what was signed; one line on stderr says why.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check an artifact version's signature, and with --file or --store its bytes and SBOM.")
final class ArtifactVerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Parameters(index = "1", paramLabel = "VERSION")
  String version;

  @Option(names = "--file", paramLabel = "FILE", description = "The artifact's bytes to check.")
  Path file;

  @Option(names = "--store", paramLabel = "DIR", description = "An artifact store holding the blob and its SBOM.")
  Path store;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Override
  public Integer call() throws IOException {
    var path = ArtifactFile.path(repo, name, version);
    if (!Files.isRegularFile(path)) {
      throw new UserException(Flotilla.FAILURE, "verify artifact '" + name + "' version '" + version
          + "': no " + repo.relativize(path) + "; add it with 'flotilla artifact add'");
    }
    var artifact = ArtifactFile.read(path);
    String signer;
    try {
      var root = new RootVerifier(Clock.systemUTC()).trustInitial(KeyRing.read(repo));
      signer = new ArtifactVerifier(root).verify(artifact).getFirst();
    } catch (TrustException e) {
      throw new UserException(Flotilla.FAILURE, e.getMessage() + " (" + repo.relativize(path) + ")");
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UserException(Flotilla.FAILURE, "verify artifact '" + name + "' version '" + version
          + "': no trust/root.json in '" + repo + "'; run 'flotilla keys init'");
    } catch (IOException e) {
      throw new UserException(Flotilla.FAILURE, e.getMessage());
    }
    var spec = artifact.getSpec();
    var out = this.spec.commandLine().getOut();
    out.println(repo.relativize(path) + ": signature ok (artifact-signer " + signer.substring(0, 16) + ")");
    var blob = file != null ? file
        : store == null ? null
        : new ArtifactStore(store).find(spec.getDigest().substring(Digest.PREFIX.length())).orElse(null);
    if (blob != null) {
      var hex = Digest.sha256(blob).toString();
      long size = Files.size(blob);
      if (!hex.equals(spec.getDigest()) || size != spec.getSize()) {
        throw new UserException(Flotilla.DIFFERENCES, "verify artifact '" + name + "' version '" + version
            + "': '" + blob + "' is " + hex + ", " + size + " bytes; the signed file says " + spec.getDigest() + ", "
            + spec.getSize() + " bytes; do not ship it");
      }
      out.println(blob + ": digest and size match");
    }
    if (store != null && spec.getSbom() != null) {
      var sbom = new ArtifactStore(store).find(spec.getSbom().getDigest().substring(Digest.PREFIX.length()));
      if (sbom.isPresent()) {
        var hex = Digest.sha256(sbom.get()).toString();
        if (!hex.equals(spec.getSbom().getDigest())) {
          throw new UserException(Flotilla.DIFFERENCES, "verify artifact '" + name + "' version '" + version
              + "': SBOM '" + sbom.get() + "' is " + hex + ", not the signed " + spec.getSbom().getDigest());
        }
        out.println(sbom.get() + ": SBOM digest matches");
      }
    }
    return Flotilla.OK;
  }
}
