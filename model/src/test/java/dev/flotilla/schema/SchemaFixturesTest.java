package dev.flotilla.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.model.AgentConfig;
import dev.flotilla.model.Artifact;
import dev.flotilla.model.BundlePayload;
import dev.flotilla.model.ClaimRequest;
import dev.flotilla.model.ClaimToken;
import dev.flotilla.model.Device;
import dev.flotilla.model.Fleet;
import dev.flotilla.model.Operator;
import dev.flotilla.model.Policy;
import dev.flotilla.model.Rollout;
import dev.flotilla.model.RolloutStatus;
import dev.flotilla.model.Secret;
import dev.flotilla.model.StatusReport;
import dev.flotilla.model.SystemIdentity;
import dev.flotilla.model.Tenant;
import dev.flotilla.model.TrustRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every document schema, {@code src/test/resources/schemas/<schema>/valid.yaml} passes and binds to its
 * generated type, and {@code invalid.yaml} gives exactly the problems in {@code invalid.expected}. Run with
 * {@code -Dflotilla.golden.update=true} to rewrite the expectations, then review the diff.
 */
class SchemaFixturesTest {
  static final Path FIXTURES = Path.of("src/test/resources/schemas");
  static final Map<String, Class<?>> TYPES = Map.ofEntries(
      Map.entry("fleet", Fleet.class), Map.entry("tenant", Tenant.class), Map.entry("device", Device.class),
      Map.entry("policy", Policy.class), Map.entry("artifact", Artifact.class), Map.entry("rollout", Rollout.class),
      Map.entry("claim-token", ClaimToken.class), Map.entry("trust-root", TrustRoot.class),
      Map.entry("system-identity", SystemIdentity.class), Map.entry("agent-config", AgentConfig.class),
      Map.entry("bundle-payload", BundlePayload.class), Map.entry("status-report", StatusReport.class),
      Map.entry("rollout-status", RolloutStatus.class),
      Map.entry("claim-request", ClaimRequest.class), Map.entry("secret", Secret.class),
      Map.entry("operator", Operator.class),
      Map.entry("reconciler-config", dev.flotilla.model.ReconcilerSettings.class));

  static final YamlReader READER = new YamlReader();
  static final SchemaValidator VALIDATOR = new SchemaValidator();
  static final ObjectMapper BINDER = new ObjectMapper().registerModule(new JavaTimeModule());

  static Stream<String> schemas() {
    return TYPES.keySet().stream().sorted();
  }

  @Test
  void everyDocumentSchemaHasFixtures() throws IOException {
    try (var dirs = Files.list(FIXTURES)) {
      assertThat(dirs.map(d -> d.getFileName().toString())).containsExactlyInAnyOrderElementsOf(TYPES.keySet());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemas")
  void validFixturePassesAndBinds(String schema) throws Exception {
    var tree = READER.read(Files.readAllBytes(FIXTURES.resolve(schema).resolve("valid.yaml")));
    assertThat(VALIDATOR.validate("valid.yaml", schema + ".yaml", tree)).isEmpty();
    assertThat(BINDER.treeToValue(tree, TYPES.get(schema))).isInstanceOf(TYPES.get(schema));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemas")
  void invalidFixtureGivesTheExpectedProblems(String schema) throws Exception {
    var dir = FIXTURES.resolve(schema);
    var tree = READER.read(Files.readAllBytes(dir.resolve("invalid.yaml")));
    var actual = VALIDATOR.validate("invalid.yaml", schema + ".yaml", tree).stream()
        .sorted(Problem.ORDER).map(Problem::toString).toList();
    if (Boolean.getBoolean("flotilla.golden.update")) {
      Files.write(dir.resolve("invalid.expected"), actual);
    }
    assertThat(actual).isNotEmpty().containsExactlyElementsOf(Files.readAllLines(dir.resolve("invalid.expected")));
  }

  @Test
  void everySchemaPropertyHasADescription() throws IOException {
    var yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    for (var file : SchemaValidator.schemaFiles()) {
      try (var in = SchemaValidator.openSchema(file)) {
        var schema = yaml.readTree(in);
        assertThat(schema.path("description").asText()).as(file).isNotBlank();
        schema.findParents("properties").forEach(parent -> parent.path("properties").properties()
            .forEach(p -> assertThat(p.getValue().path("description").asText())
                .as(file + ": property '" + p.getKey() + "'").isNotBlank()));
      }
    }
  }
}
