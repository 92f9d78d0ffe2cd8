package dev.flotilla.cli.artifact;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.artifact.ArtifactSigner;
import dev.flotilla.fleet.edit.YamlEdit;
import dev.flotilla.model.Artifact;
import dev.flotilla.schema.DocumentException;
import dev.flotilla.schema.SchemaValidator;
import dev.flotilla.schema.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Artifact file {@code artifacts/<name>/<version>.yaml}: read strictly (YAML rules and schema, as
 * {@code flotilla validate}), written whole in one fixed layout with the editor's schema modeline, every string
 * quoted. Writing checks the text against the schema first and replaces the file atomically.
 */
public final class ArtifactFile {
  public static final String MODELINE = "# yaml-language-server: $schema=../../.flotilla/schemas/artifact.yaml";
  private static final YamlReader READER = new YamlReader();
  private static final SchemaValidator VALIDATOR = new SchemaValidator();
  private static final ObjectMapper BINDER = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

  private ArtifactFile() {}

  public static Path path(Path repo, String name, String version) {
    return repo.resolve("artifacts").resolve(name).resolve(version + ".yaml");
  }

  public static Artifact read(Path file) throws IOException {
    try {
      var tree = READER.read(Files.readAllBytes(file));
      var problems = VALIDATOR.validate(file.toString(), "artifact.yaml", tree);
      if (!problems.isEmpty()) {
        throw new UserException(ExitCodes.FAILURE, "read artifact " + problems.getFirst());
      }
      return BINDER.treeToValue(tree, Artifact.class);
    } catch (DocumentException e) {
      throw new UserException(ExitCodes.FAILURE, "read artifact '" + file + "': " + e.getMessage());
    }
  }

  public static void write(Path file, Artifact artifact) throws IOException {
    var text = render(artifact);
    try {
      var problems = VALIDATOR.validate(file.toString(), "artifact.yaml", READER.read(text.getBytes(StandardCharsets.UTF_8)));
      if (!problems.isEmpty()) {
        throw new UserException(ExitCodes.FAILURE, "write artifact " + problems.getFirst());
      }
    } catch (DocumentException e) {
      throw new IllegalStateException("rendered artifact does not read back: " + e.getMessage(), e);
    }
    Files.createDirectories(file.getParent());
    var temp = Files.createTempFile(file.getParent(), ".artifact-", ".yaml");
    try {
      Files.writeString(temp, text);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Signs every artifact file of {@code repo} anew, as after rotating the artifact-signer key; returns them. */
  public static List<Path> signAll(Path repo, ArtifactSigner signer) throws IOException {
    var dir = repo.resolve("artifacts");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") && Files.isRegularFile(p)).sorted().toList();
    }
    for (var file : files) {
      write(file, signer.sign(read(file)));
    }
    return files;
  }

  /** The Artifact file's text: every value set through {@link YamlEdit}, quoted where YAML needs it. */
  public static String render(Artifact artifact) {
    var spec = artifact.getSpec();
    var edit = YamlEdit.of(MODELINE + "\napiVersion: flotilla.dev/v1\nkind: Artifact\n")
        .set("metadata.name", artifact.getMetadata().getName());
    edit = optional(edit, "metadata.tenant", artifact.getMetadata().getTenant());
    edit = edit.set("spec.version", spec.getVersion()).set("spec.type", spec.getType().value())
        .set("spec.digest", spec.getDigest()).set("spec.size", spec.getSize())
        .set("spec.urls", spec.getUrls().stream().map(Object::toString).toList());
    if (spec.getSignature() != null) {
      edit = edit.set("spec.signature.keyId", spec.getSignature().getKeyId())
          .set("spec.signature.value", spec.getSignature().getValue());
    }
    if (spec.getSbom() != null) {
      edit = edit.set("spec.sbom.digest", spec.getSbom().getDigest());
      var url = spec.getSbom().getUrl();
      edit = optional(edit, "spec.sbom.url", url == null ? null : url.toString());
    }
    var provenance = spec.getProvenance();
    if (provenance != null) {
      edit = optional(edit, "spec.provenance.sourceRepository", provenance.getSourceRepository());
      edit = optional(edit, "spec.provenance.sourceCommit", provenance.getSourceCommit());
      edit = optional(edit, "spec.provenance.builder", provenance.getBuilder());
      edit = optional(edit, "spec.provenance.builtAt", provenance.getBuiltAt() == null ? null
          : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(provenance.getBuiltAt()));
    }
    return edit.text();
  }

  private static YamlEdit optional(YamlEdit edit, String path, String value) {
    return value == null ? edit : edit.set(path, value);
  }
}
