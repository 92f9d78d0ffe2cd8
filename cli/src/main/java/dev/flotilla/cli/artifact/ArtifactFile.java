package dev.flotilla.cli.artifact;

import dev.flotilla.cli.console.UserException;
import dev.flotilla.cli.console.ExitCodes;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.artifact.ArtifactSigner;
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
import java.util.ArrayList;
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

  public static String render(Artifact artifact) {
    var spec = artifact.getSpec();
    var lines = new ArrayList<String>();
    lines.add(MODELINE);
    lines.add("apiVersion: flotilla.dev/v1");
    lines.add("kind: Artifact");
    lines.add("metadata:");
    lines.add("  name: " + artifact.getMetadata().getName());
    if (artifact.getMetadata().getTenant() != null) {
      lines.add("  tenant: " + artifact.getMetadata().getTenant());
    }
    lines.add("spec:");
    lines.add("  version: " + q(spec.getVersion()));
    lines.add("  type: " + spec.getType().value());
    lines.add("  digest: " + spec.getDigest());
    lines.add("  size: " + spec.getSize());
    lines.add("  urls:");
    spec.getUrls().forEach(u -> lines.add("    - " + q(u.toString())));
    if (spec.getSignature() != null) {
      lines.add("  signature:");
      lines.add("    keyId: " + spec.getSignature().getKeyId());
      lines.add("    value: " + spec.getSignature().getValue());
    }
    if (spec.getSbom() != null) {
      lines.add("  sbom:");
      lines.add("    digest: " + spec.getSbom().getDigest());
      if (spec.getSbom().getUrl() != null) {
        lines.add("    url: " + q(spec.getSbom().getUrl().toString()));
      }
    }
    var provenance = spec.getProvenance();
    if (provenance != null) {
      lines.add("  provenance:");
      optional(lines, "sourceRepository", provenance.getSourceRepository());
      optional(lines, "sourceCommit", provenance.getSourceCommit());
      optional(lines, "builder", provenance.getBuilder());
      optional(lines, "builtAt", provenance.getBuiltAt() == null ? null
          : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(provenance.getBuiltAt()));
    }
    return String.join("\n", lines) + "\n";
  }

  private static void optional(List<String> lines, String key, String value) {
    if (value != null) {
      lines.add("    " + key + ": " + q(value));
    }
  }

  /** A YAML double-quoted scalar; JSON string escapes are valid YAML. */
  private static String q(String value) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }
}
