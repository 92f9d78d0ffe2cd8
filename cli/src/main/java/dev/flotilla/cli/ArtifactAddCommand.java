package dev.flotilla.cli;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.artifact.ArtifactFile;
import dev.flotilla.cli.artifact.Sbom;
import dev.flotilla.cli.fleet.FleetEdit;
import dev.flotilla.digest.Digest;
import dev.flotilla.fleet.DirectoryTree;
import dev.flotilla.model.Artifact;
import dev.flotilla.model.ArtifactSpec;
import dev.flotilla.model.ArtifactType;
import dev.flotilla.model.Metadata;
import dev.flotilla.model.Provenance;
import dev.flotilla.model.SbomRef;
import dev.flotilla.publish.ArtifactStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla artifact add FILE}: a signed artifact version with its SBOM. */
// No mixinStandardHelpOptions: its --version (print the program's version) would take the artifact's --version.
@Command(name = "add", description = "Hash, sign and describe FILE as artifact"
    + " NAME version VERSION: write artifacts/NAME/VERSION.yaml and a CycloneDX SBOM, copy FILE into --store.")
final class ArtifactAddCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--name", required = true)
  String name;

  @Option(names = "--version", required = true, description = "The artifact's version, such as 1.4.2.")
  String version;

  @Option(names = "--url", paramLabel = "URL", description = "Where devices download it (https://, oci://); repeatable.")
  List<URI> urls;

  @Option(names = "--type", paramLabel = "TYPE", description = "tarball or binary (default: tarball for *.tar.gz, *.tgz).")
  String type;

  @Option(names = "--store", paramLabel = "DIR", description = "Copy FILE and its SBOM into this content-addressed store.")
  Path store;

  @Option(names = "--tenant", description = "Restrict the artifact to this tenant's devices (default: fleet-wide).")
  String tenant;

  @Option(names = "--sbom-url", paramLabel = "URL", description = "Where the SBOM can be fetched.")
  URI sbomUrl;

  @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The keys 'flotilla keys init' wrote.")
  Path keys;

  @Option(names = "--repo", defaultValue = ".", description = "The fleet repo checkout (default: here).")
  Path repo;

  @Option(names = "--source-repo", paramLabel = "URL", description = "Provenance: the source repository.")
  String sourceRepository;

  @Option(names = "--source-commit", paramLabel = "SHA", description = "Provenance: the commit it was built from.")
  String sourceCommit;

  @Option(names = "--builder", description = "Provenance: the CI system or person that built it.")
  String builder;

  @Option(names = "--built-at", paramLabel = "TIME", description = "Provenance: when it was built (RFC 3339).")
  String builtAt;

  @Override
  public Integer call() throws IOException {
    if (urls == null || urls.isEmpty()) {
      throw new UserException(Flotilla.USAGE, "add artifact '" + name + "': give at least one --url"
          + " devices can download it from");
    }
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      throw new UserException(Flotilla.FAILURE, "add artifact '" + name + "': '" + file
          + "' is not a non-empty file");
    }
    var signer = ArtifactCommand.signer(keys);
    var target = ArtifactFile.path(repo, name, version);
    var digest = Digest.sha256(file);
    long size = Files.size(file);
    if (Files.exists(target)) {
      var existing = ArtifactFile.read(target).getSpec();
      if (!existing.getDigest().equals(digest.toString()) || existing.getSize() != size) {
        throw new UserException(Flotilla.FAILURE, "add artifact '" + name + "' version '" + version
            + "': " + repo.relativize(target) + " exists with digest " + existing.getDigest() + "; a version's"
            + " content never changes, so give this build a new version");
      }
    }
    var artifactType = type();
    var sbom = Sbom.of(name, version, digest.hex(), artifactType == ArtifactType.TARBALL, file);
    var sbomDigest = Digest.sha256(sbom);
    var artifact = artifact(artifactType, digest, size, sbomDigest);
    signer.sign(artifact);
    edit(ArtifactFile.render(artifact)).refuseNewErrors(new DirectoryTree(repo));
    var where = keep(digest.hex(), sbom, sbomDigest.hex());
    ArtifactFile.write(target, artifact);
    var out = spec.commandLine().getOut();
    out.println("wrote " + repo.relativize(target) + ": " + digest + ", " + size + " bytes, signed by "
        + artifact.getSpec().getSignature().getKeyId().substring(0, 16) + ", SBOM " + sbomDigest + " in " + where);
    out.println("commit " + repo.relativize(target) + "; devices get it once a policy or rollout names it");
    return Flotilla.OK;
  }

  /** The artifact file as an edit of the checkout whose errors name the flag that gave the field. */
  private FleetEdit edit(String text) {
    return new FleetEdit("add artifact '" + name + "'", Map.of("artifacts/" + name + "/" + version + ".yaml", text))
        .flag("metadata.name", "--name '" + name + "'").flag("metadata.tenant", "--tenant '" + tenant + "'",
            "name a tenant of tenants/, or leave --tenant out to share the artifact fleet-wide")
        .flag("spec.version", "--version '" + version + "'").flag("spec.type", "--type")
        .flag("spec.urls", "--url").flag("spec.sbom.url", "--sbom-url")
        .flag("spec.provenance.sourceRepository", "--source-repo").flag("spec.provenance.sourceCommit",
            "--source-commit").flag("spec.provenance.builder", "--builder");
  }

  private ArtifactType type() {
    if (type == null) {
      var fileName = file.getFileName().toString();
      return fileName.endsWith(".tar.gz") || fileName.endsWith(".tgz") ? ArtifactType.TARBALL : ArtifactType.BINARY;
    }
    try {
      return ArtifactType.fromValue(type);
    } catch (IllegalArgumentException e) {
      throw new UserException(Flotilla.USAGE, "add artifact '" + name + "': no type '" + type
          + "'; use tarball or binary");
    }
  }

  /** Stores the blob and SBOM, or writes the SBOM beside FILE; says where the SBOM went. */
  private Path keep(String hex, byte[] sbom, String sbomHex) throws IOException {
    if (store == null) {
      var beside = file.resolveSibling(file.getFileName() + ".cdx.json");
      Files.write(beside, sbom);
      return beside;
    }
    var artifacts = new ArtifactStore(store);
    if (!artifacts.put(file).equals(hex)) {
      throw new UserException(Flotilla.FAILURE, "store '" + file + "': it changed while being added");
    }
    artifacts.put(new java.io.ByteArrayInputStream(sbom));
    return artifacts.find(sbomHex).orElseThrow();
  }

  private Artifact artifact(ArtifactType artifactType, Digest digest, long size, Digest sbomDigest) {
    var metadata = new Metadata();
    metadata.setName(name);
    metadata.setTenant(tenant);
    var body = new ArtifactSpec();
    body.setVersion(version);
    body.setType(artifactType);
    body.setDigest(digest.toString());
    body.setSize(size);
    body.setUrls(List.copyOf(urls));
    var sbomRef = new SbomRef();
    sbomRef.setDigest(sbomDigest.toString());
    sbomRef.setUrl(sbomUrl);
    body.setSbom(sbomRef);
    body.setProvenance(provenance());
    var artifact = new Artifact();
    artifact.setApiVersion("flotilla.dev/v1");
    artifact.setKind("Artifact");
    artifact.setMetadata(metadata);
    artifact.setSpec(body);
    return artifact;
  }

  private Provenance provenance() {
    if (sourceRepository == null && sourceCommit == null && builder == null && builtAt == null) {
      return null;
    }
    var provenance = new Provenance();
    provenance.setSourceRepository(sourceRepository);
    provenance.setSourceCommit(sourceCommit);
    provenance.setBuilder(builder);
    try {
      provenance.setBuiltAt(builtAt == null ? null : OffsetDateTime.parse(builtAt));
    } catch (DateTimeParseException e) {
      throw new UserException(Flotilla.USAGE, "add artifact '" + name + "': --built-at '" + builtAt
          + "' is not an RFC 3339 time such as 2026-11-02T09:30:00Z");
    }
    return provenance;
  }
}
